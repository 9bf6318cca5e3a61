package dev.vdb.engine.idmap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The persisted external id → ordinal map of one collection: a Chronicle Map file keyed by the
 * encoded id ({@code PointCodec.idBytes}). It is derived state: RocksDB stays the source of
 * truth, and {@link IdMapRecovery} checks and rebuilds this file on open.
 *
 * <p>A Chronicle Map file is laid out for a number of entries of an average key size and
 * refuses inserts well beyond that; {@link #hasRoomFor} tells the writer, before it commits,
 * whether the map must grow (see {@link IdMapRecovery#grown}: into a new file, a new
 * generation). The map keeps the total size of its keys for that, so long string ids (up to 512
 * bytes) are provided for.
 *
 * <p>Thread-safe (Chronicle Map locks per segment); the collection mutates it only under its
 * writer lock. Each call allocates a boxed ordinal: it is not on the search path.
 */
public final class IdMap implements AutoCloseable {

    /** Average encoded id size a map is laid out for at least (a number id takes 9 bytes). */
    static final double MIN_AVERAGE_KEY_BYTES = 16;
    /** Fill fraction of the laid-out entries past which the map grows. */
    private static final double MAX_FILL = 0.9;

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
    private final int generation;
    private final long capacity;
    private final double averageKeyBytes;
    /** Total bytes of the keys in the map; kept by {@link #put} and {@link #remove}. */
    private long keyBytes;

    private IdMap(ChronicleMap<byte[], Integer> map, Path file, int generation, long capacity, double averageKeyBytes) {
        this.map = map;
        this.file = file;
        this.generation = generation;
        this.capacity = capacity;
        this.averageKeyBytes = averageKeyBytes;
    }

    /**
     * Creates an empty map file for {@code capacity} entries whose keys average
     * {@code averageKeyBytes}, replacing any file there.
     */
    static IdMap create(Path file, int generation, long capacity, double averageKeyBytes) {
        double average = Math.max(MIN_AVERAGE_KEY_BYTES, averageKeyBytes);
        try {
            Files.deleteIfExists(file);
            return new IdMap(builder(capacity, average).createPersistedTo(file.toFile()), file, generation, capacity,
                    average);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create id map " + file, e);
        }
    }

    /**
     * Opens an existing map file that was laid out for {@code capacity} entries of
     * {@code averageKeyBytes}; {@code keyBytes} is the total size of the keys it holds.
     */
    static IdMap open(Path file, int generation, long capacity, double averageKeyBytes, long keyBytes)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("id map file " + file + " is missing");
        }
        IdMap opened = new IdMap(builder(capacity, averageKeyBytes).createPersistedTo(file.toFile()), file, generation,
                capacity, averageKeyBytes);
        opened.keyBytes = keyBytes;
        return opened;
    }

    /**
     * Starts a daemon thread that builds and drops a small in-memory map, so that Chronicle Map's
     * one-time work (loading and setting up its classes: half a second on two cores; the class it
     * would generate and compile, the engine ships) is done before the first collection loads
     * rather than inside its first request.
     */
    public static void warmUpInBackground() {
        Thread.ofPlatform().daemon().name("vdb-id-map-warm-up").start(() -> {
            try (ChronicleMap<byte[], Integer> map = builder(16, MIN_AVERAGE_KEY_BYTES).create()) {
                map.put(new byte[] {0}, 0);
            } catch (RuntimeException | LinkageError e) {
                // only a head start: the first real map pays the cost instead
            }
        });
    }

    private static ChronicleMapBuilder<byte[], Integer> builder(long capacity, double averageKeyBytes) {
        return ChronicleMap.of(byte[].class, Integer.class)
                .name("vdb-id-map")
                .averageKeySize(averageKeyBytes)
                .entries(capacity)
                .checksumEntries(true)
                // VectorDb.close() closes the map; Chronicle's own exit hook would close it under
                // requests still running while the server's shutdown hook drains them.
                .skipCloseOnExitHook(true);
    }

    public Path file() {
        return file;
    }

    /** Which generation of the collection's id map this is (it grows into a new file). */
    public int generation() {
        return generation;
    }

    /** The entry count the file was laid out for. */
    public long capacity() {
        return capacity;
    }

    /** The average key size the file was laid out for. */
    public double averageKeyBytes() {
        return averageKeyBytes;
    }

    /** Total bytes of the keys the map holds. */
    public long keyBytes() {
        return keyBytes;
    }

    /**
     * Whether {@code ids} more keys of {@code bytes} bytes in all fit the layout: the entries
     * stay below {@value #MAX_FILL} of the capacity and the average key stays within the laid-out
     * size, so Chronicle never refuses them.
     */
    public boolean hasRoomFor(int ids, long bytes) {
        long entries = size() + ids;
        return entries <= MAX_FILL * capacity && keyBytes + bytes <= averageKeyBytes * capacity * MAX_FILL;
    }

    /** The ordinal of {@code id}, or -1. */
    public int get(byte[] id) {
        Integer ordinal = map.get(id);
        return ordinal == null ? -1 : ordinal;
    }

    public void put(byte[] id, int ordinal) {
        if (map.put(id, ordinal) == null) {
            keyBytes += id.length;
        }
    }

    public void remove(byte[] id) {
        if (map.remove(id) != null) {
            keyBytes -= id.length;
        }
    }

    public long size() {
        return map.longSize();
    }

    @Override
    public void close() {
        map.close();
    }
}
