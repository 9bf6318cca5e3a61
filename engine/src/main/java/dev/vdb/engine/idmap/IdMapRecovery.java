package dev.vdb.engine.idmap;

import dev.vdb.engine.PointId;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.recovery.LogReplay;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.storage.ChangeLog;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a collection's {@link IdMap} and proves it agrees with RocksDB, or rebuilds it from the
 * live ordinals loaded from RocksDB. The file is trusted only when RocksDB recorded a clean close
 * with the file's length and CRC32C ({@link State}), and then every live id is still checked
 * against it; a missing, damaged, stale or uncleanly closed file is rebuilt with one log line.
 *
 * <p>Stateless and thread-safe; runs once per collection open.
 */
public final class IdMapRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(IdMapRecovery.class);
    private static final long MIN_CAPACITY = 1 << 14;

    private IdMapRecovery() {}

    /**
     * What RocksDB remembers of the id-map file: whether it was closed cleanly and, if so, the
     * layout it was created with (capacity, average key size), the total size of its keys, and
     * its length and CRC32C at close.
     */
    public record State(boolean clean, int generation, long capacity, double averageKeyBytes, long keyBytes,
                        long length, long crc, long asOf, long bootHigh, long bootLow) {
        private static final byte FORMAT = 4;
        private static final int BYTES = 2 + 4 + 8 * 8;

        public byte[] encode() {
            return ByteBuffer.allocate(BYTES).put(FORMAT).put((byte) (clean ? 1 : 0)).putInt(generation)
                    .putLong(capacity).putDouble(averageKeyBytes).putLong(keyBytes).putLong(length).putLong(crc)
                    .putLong(asOf).putLong(bootHigh).putLong(bootLow).array();
        }

        /** The decoded state, or null when the bytes are not a known format (the file is then rebuilt). */
        public static State decode(byte[] bytes) {
            if (bytes == null || bytes.length != BYTES || bytes[0] != FORMAT) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            return new State(buf.get(1) == 1, buf.getInt(2), buf.getLong(6), buf.getDouble(14), buf.getLong(22),
                    buf.getLong(30), buf.getLong(38), buf.getLong(46), buf.getLong(54), buf.getLong(62));
        }

        /**
         * The state recorded while {@code map} is open (not clean): it holds every write up to
         * {@code asOf}, in this boot of the machine (a crash that is not a power loss keeps the
         * mapped file whole in the page cache).
         */
        public static State open(IdMap map, long asOf) {
            UUID boot = BootId.current();
            return new State(false, map.generation(), map.capacity(), map.averageKeyBytes(), map.keyBytes(), 0, 0, asOf,
                    boot.getMostSignificantBits(), boot.getLeastSignificantBits());
        }

        boolean sameBoot() {
            UUID boot = BootId.current();
            return !boot.equals(BootId.UNKNOWN) && boot.getMostSignificantBits() == bootHigh
                    && boot.getLeastSignificantBits() == bootLow;
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
     * An id map that agrees with RocksDB, without reading every id when RocksDB can show the file
     * is current: a map closed cleanly after the last write ({@code current}) is used as it is; a
     * map not closed cleanly (a crash) in this boot of the machine (so its mapped file is whole)
     * is recovered by Chronicle and brought up to date by replaying the change log after the
     * write it was known to hold; anything else (missing, damaged, a power loss, a log truncated
     * past it) is rebuilt from the live ordinals, with one log line.
     *
     * @param state what RocksDB recorded of the file, or null
     * @param current the collection's last stored write
     */
    public static Opened openVerified(String collection, Path base, State state, LiveOrdinals live, PointStore store,
                                      long current) {
        int generation = state == null ? 0 : state.generation();
        Path file = fileOf(base, generation);
        deleteOtherGenerations(base, file);
        String problem = problemWith(file, state);
        if (problem == null || problem.equals(UNCLEAN) && state.sameBoot()) {
            boolean recovering = problem != null;
            IdMap map = null;
            try {
                map = recovering
                        ? IdMap.recover(file, generation, state.capacity(), state.averageKeyBytes(), state.keyBytes())
                        : IdMap.open(file, generation, state.capacity(), state.averageKeyBytes(), state.keyBytes());
                String replayed = replay(map, store, state.asOf(), current);
                if (map.size() != live.count()) {
                    problem = "holds " + map.size() + " ids where RocksDB has " + live.count();
                } else if (replayed == null) {
                    problem = recovering ? "was not closed cleanly and the change log no longer reaches back to it"
                            : "lags the change log, which no longer reaches back to it";
                } else {
                    String reason = recovering ? UNCLEAN + "; recovered it and " + replayed
                            : replayed.isEmpty() ? null : replayed;
                    if (reason != null) {
                        LOG.info("collection '{}': id map {} {}", collection, file.getFileName(), reason);
                    }
                    return new Opened(map, reason);
                }
            } catch (IOException | RuntimeException | InternalError e) {
                problem = "cannot be read (" + e + ")";
            }
            closeQuietly(map);
        } else if (UNCLEAN.equals(problem)) {
            problem = UNCLEAN + " before the machine restarted (its mapped file may have lost writes)";
        }
        if (state != null || live.count() > 0 || Files.exists(file)) {
            LOG.warn("collection '{}': id map {} {}; rebuilding it from RocksDB ({} points)",
                    collection, file.getFileName(), problem, live.count());
        }
        return new Opened(filled(file, generation, live, 0, 0), problem);
    }

    private static final String UNCLEAN = "was not closed cleanly";

    /**
     * Replays the change log after {@code asOf} into {@code map}: the writes it may lack.
     * Returns "" when there was nothing to replay, what it did, or null when the log no longer
     * reaches back to {@code asOf}.
     */
    private static String replay(IdMap map, PointStore store, long asOf, long current) {
        if (asOf == current) {
            return "";
        }
        LogReplay replay = LogReplay.after(store, asOf);
        if (!replay.covers(asOf, current)) {
            return null;
        }
        for (ChangeLog.Entry e : replay.entries()) {
            if (e.after() >= 0) {
                map.put(e.id(), e.after());
            } else {
                map.remove(e.id());
            }
        }
        return "replayed " + replay.entries().size() + " changes from the change log";
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
                Files.size(map.file()), DerivedFiles.crc(map.file()), asOf, 0, 0);
    }

    private static String problemWith(Path file, State state) {
        try {
            if (state == null) {
                return "has no recorded state";
            }
            if (!Files.isRegularFile(file)) {
                return "is missing";
            }
            if (!state.clean()) {
                return UNCLEAN;
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
