package dev.vdb.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The persisted external id → ordinal map of one collection: a Chronicle Map file keyed by the
 * encoded id ({@link PointCodec#idBytes}). It is derived state: RocksDB stays the source of
 * truth, and {@link IdMapRecovery} checks and rebuilds this file on open.
 *
 * <p>Thread-safe (Chronicle Map locks per segment); the collection mutates it only under its
 * writer lock. Each call allocates a boxed ordinal: it is not on the search path.
 */
final class IdMap implements AutoCloseable {

    /** Average encoded id size the file is laid out for (a number id takes 9 bytes). */
    private static final double AVERAGE_KEY_BYTES = 16;

    static {
        // no usage reporting over the network and no banner from an embedded database
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        if (System.getProperty("chronicle.announcer.disable") == null) {
            System.setProperty("chronicle.announcer.disable", "true");
        }
    }

    private final ChronicleMap<byte[], Integer> map;
    private final Path file;
    private final long capacity;

    private IdMap(ChronicleMap<byte[], Integer> map, Path file, long capacity) {
        this.map = map;
        this.file = file;
        this.capacity = capacity;
    }

    /** Creates an empty map file for {@code capacity} entries, replacing any file there. */
    static IdMap create(Path file, long capacity) {
        try {
            Files.deleteIfExists(file);
            return new IdMap(builder(capacity).createPersistedTo(file.toFile()), file, capacity);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create id map " + file, e);
        }
    }

    /** Opens an existing map file that was laid out for {@code capacity} entries. */
    static IdMap open(Path file, long capacity) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("id map file " + file + " is missing");
        }
        return new IdMap(builder(capacity).createPersistedTo(file.toFile()), file, capacity);
    }

    private static ChronicleMapBuilder<byte[], Integer> builder(long capacity) {
        return ChronicleMap.of(byte[].class, Integer.class)
                .name("vdb-id-map")
                .averageKeySize(AVERAGE_KEY_BYTES)
                .entries(capacity)
                .checksumEntries(true)
                // VectorDb.close() closes the map; Chronicle's own exit hook would close it under
                // requests still running while the server's shutdown hook drains them.
                .skipCloseOnExitHook(true);
    }

    Path file() {
        return file;
    }

    /** The entry count the file was laid out for; it refuses inserts somewhat beyond it. */
    long capacity() {
        return capacity;
    }

    /** The ordinal of {@code id}, or -1. */
    int get(byte[] id) {
        Integer ordinal = map.get(id);
        return ordinal == null ? -1 : ordinal;
    }

    void put(byte[] id, int ordinal) {
        map.put(id, ordinal);
    }

    void remove(byte[] id) {
        map.remove(id);
    }

    long size() {
        return map.longSize();
    }

    void forEach(BiConsumer<byte[], Integer> action) {
        map.forEach(action);
    }

    @Override
    public void close() {
        map.close();
    }
}
