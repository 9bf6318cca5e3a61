package dev.vdb.engine.idmap;

import dev.vdb.engine.PointId;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.storage.PointCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a collection's {@link IdMap} and proves it agrees with RocksDB, or rebuilds it from the
 * live ordinals loaded from RocksDB. The file is trusted only when RocksDB recorded a clean close
 * after the collection's last write, with the file's length and CRC32C ({@link State}); a missing,
 * damaged, stale or uncleanly closed file (a killed process) is rebuilt with one log line.
 *
 * <p>A killed process's file is rebuilt rather than recovered: Chronicle's
 * {@code recoverPersistedTo} reads and re-checksums every entry and measured about ten times
 * slower than filling a new file from the ids already in memory (docs/BENCHMARKS.md, reopen).
 *
 * <p>Stateless and thread-safe; runs once per collection open.
 */
public final class IdMapRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(IdMapRecovery.class);
    /** The smallest map: an empty collection costs a few KB, and a map grows by generations as it fills. */
    private static final long MIN_CAPACITY = 1 << 8;

    private IdMapRecovery() {}

    /**
     * What RocksDB remembers of the id-map file: whether it was closed cleanly and, if so, after
     * which write ({@code asOf}), the layout it was created with (capacity, average key size), the
     * total size of its keys, and its length and CRC32C at close.
     */
    public record State(boolean clean, int generation, long capacity, double averageKeyBytes, long keyBytes,
                        long length, long crc, long asOf) {
        private static final byte FORMAT = 5;
        private static final int BYTES = 2 + 4 + 6 * 8;

        public byte[] encode() {
            return ByteBuffer.allocate(BYTES).put(FORMAT).put((byte) (clean ? 1 : 0)).putInt(generation)
                    .putLong(capacity).putDouble(averageKeyBytes).putLong(keyBytes).putLong(length).putLong(crc)
                    .putLong(asOf).array();
        }

        /** The decoded state, or null when the bytes are not a known format (the file is then rebuilt). */
        public static State decode(byte[] bytes) {
            if (bytes == null || bytes.length != BYTES || bytes[0] != FORMAT) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            return new State(buf.get(1) == 1, buf.getInt(2), buf.getLong(6), buf.getDouble(14), buf.getLong(22),
                    buf.getLong(30), buf.getLong(38), buf.getLong(46));
        }

        /** The state recorded while {@code map} is open: not clean, so a crash rebuilds it. */
        public static State open(IdMap map) {
            return new State(false, map.generation(), map.capacity(), map.averageKeyBytes(), map.keyBytes(), 0, 0, -1);
        }
    }

    /**
     * The file of generation {@code generation} of the id map whose first file is {@code base}.
     * A map grows into a new generation's file: a Chronicle Map maps its file by path as it
     * grows, so an open map's file is never moved.
     */
    public static Path fileOf(Path base, int generation) {
        return generation == 0 ? base : base.resolveSibling(base.getFileName() + "." + generation);
    }

    /** The capacity a map holding {@code points} ids is built with: room to double. */
    static long capacityFor(long points) {
        return Math.max(MIN_CAPACITY, 2 * points);
    }

    /**
     * An opened id map.
     *
     * @param rebuiltBecause why the file was rebuilt, or null when it was reused
     */
    public record Opened(IdMap map, String rebuiltBecause) {}

    /**
     * An id map that agrees with RocksDB: the file as it is when it was closed cleanly after the
     * collection's last write ({@code current}) and is whole, else a new file filled from the live
     * ordinals, with one log line.
     *
     * @param state what RocksDB recorded of the file, or null
     * @param current the collection's last stored write
     */
    public static Opened openVerified(String collection, Path base, State state, LiveOrdinals live, long current) {
        int generation = state == null ? 0 : state.generation();
        Path file = fileOf(base, generation);
        deleteOtherGenerations(base, file);
        String problem = problemWith(file, state, current);
        if (problem == null) {
            IdMap map = null;
            try {
                map = IdMap.open(file, generation, state.capacity(), state.averageKeyBytes(), state.keyBytes());
                if (map.size() == live.count()) {
                    return new Opened(map, null);
                }
                problem = "holds " + map.size() + " ids where RocksDB has " + live.count();
            } catch (IOException | RuntimeException | InternalError e) {
                problem = "cannot be read (" + e + ")";
            }
            closeQuietly(map);
        }
        if (state != null || live.count() > 0 || Files.exists(file)) {
            LOG.warn("collection '{}': id map {} {}; rebuilding it from RocksDB ({} points)",
                    collection, file.getFileName(), problem, live.count());
        }
        return new Opened(filled(file, generation, live, 0, 0), problem);
    }

    /** A fresh map file holding every live id, with room to double at their average key size. */
    public static IdMap rebuild(Path file, LiveOrdinals live) {
        return filled(file, 0, live, 0, 0);
    }

    /** Deletes the files of {@code base}'s other generations (left by a crash while a map grew). */
    private static void deleteOtherGenerations(Path base, Path keep) {
        String prefix = base.getFileName().toString();
        try (java.util.stream.Stream<Path> files = Files.list(base.getParent())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!f.equals(keep) && (name.equals(prefix) || name.startsWith(prefix + "."))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("deleting stale id-map files beside {} failed", base, e);
        }
    }

    /**
     * A new map holding every live id, with room for {@code moreIds} more keys of
     * {@code moreBytes} bytes in all and then to double, built in the next generation's file of
     * {@code base} while {@code current} stays in use. The caller records it in RocksDB,
     * publishes it, then closes {@code current} and deletes its file.
     */
    public static IdMap grown(Path base, IdMap current, LiveOrdinals live, int moreIds, long moreBytes) {
        int generation = current.generation() + 1;
        return filled(fileOf(base, generation), generation, live, moreIds, moreBytes);
    }

    private static IdMap filled(Path file, int generation, LiveOrdinals live, int moreIds, long moreBytes) {
        int[] ordinals = live.toArray();
        byte[][] keys = new byte[ordinals.length][];
        long bytes = moreBytes;
        for (int i = 0; i < ordinals.length; i++) {
            keys[i] = PointCodec.idBytes(live.idOf(ordinals[i]));
            bytes += keys[i].length;
        }
        long entries = ordinals.length + (long) moreIds;
        double average = entries == 0 ? IdMap.MIN_AVERAGE_KEY_BYTES : 1.25 * bytes / entries;
        IdMap map = IdMap.create(file, generation, capacityFor(entries), average);
        try {
            for (int i = 0; i < ordinals.length; i++) {
                map.put(keys[i], ordinals[i]);
            }
            return map;
        } catch (RuntimeException | Error e) {
            closeQuietly(map);
            throw e;
        }
    }

    /** Closes {@code map}, which holds every write up to {@code asOf}, and returns the state to record for a clean close. */
    public static State closeClean(IdMap map, long asOf) throws IOException {
        map.close();
        return new State(true, map.generation(), map.capacity(), map.averageKeyBytes(), map.keyBytes(),
                Files.size(map.file()), DerivedFiles.crc(map.file()), asOf);
    }

    private static String problemWith(Path file, State state, long current) {
        try {
            if (state == null) {
                return "has no recorded state";
            }
            if (!Files.isRegularFile(file)) {
                return "is missing";
            }
            if (!state.clean()) {
                return "was not closed cleanly";
            }
            if (state.asOf() != current) {
                return "was closed at write " + state.asOf() + ", RocksDB holds write " + current;
            }
            long length = Files.size(file);
            if (length != state.length()) {
                return "has length " + length + " instead of " + state.length();
            }
            if (DerivedFiles.crc(file) != state.crc()) {
                return "fails its checksum";
            }
            return null;
        } catch (IOException e) {
            return "cannot be read (" + e + ")";
        }
    }

    static void closeQuietly(IdMap map) {
        if (map != null) {
            try {
                map.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a rejected id map failed", e);
            }
        }
    }
}
