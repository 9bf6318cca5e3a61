package dev.vdb.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
final class IdMapRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(IdMapRecovery.class);
    private static final long MIN_CAPACITY = 1 << 14;

    private IdMapRecovery() {}

    /**
     * What RocksDB remembers of the id-map file: whether it was closed cleanly and, if so, the
     * capacity it was laid out for and its length and CRC32C at close.
     */
    record State(boolean clean, long capacity, long length, long crc) {
        private static final byte FORMAT = 1;

        byte[] encode() {
            return ByteBuffer.allocate(26).put(FORMAT).put((byte) (clean ? 1 : 0))
                    .putLong(capacity).putLong(length).putLong(crc).array();
        }

        /** The decoded state, or null when the bytes are not a known format. */
        static State decode(byte[] bytes) {
            if (bytes == null || bytes.length != 26 || bytes[0] != FORMAT) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            return new State(buf.get(1) == 1, buf.getLong(2), buf.getLong(10), buf.getLong(18));
        }

        static State open(long capacity) {
            return new State(false, capacity, 0, 0);
        }
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
    record Opened(IdMap map, String rebuiltBecause) {}

    /**
     * An id map that agrees with {@code live}, reusing the file when it provably does.
     *
     * @param state what RocksDB recorded at the last close, or null
     */
    static Opened openVerified(String collection, Path file, State state, LiveOrdinals live) {
        String problem = problemWith(file, state);
        if (problem == null) {
            IdMap map = null;
            try {
                map = IdMap.open(file, state.capacity());
                problem = disagreement(map, live);
                if (problem == null) {
                    return new Opened(map, null);
                }
            } catch (IOException | RuntimeException | InternalError e) {
                problem = "cannot be read (" + e + ")";
            }
            closeQuietly(map);
        }
        if (state != null || live.count() > 0 || Files.exists(file)) {
            LOG.warn("collection '{}': id map {} {}; rebuilding it from RocksDB ({} points)",
                    collection, file.getFileName(), problem, live.count());
        }
        return new Opened(rebuild(file, live), problem);
    }

    /** A fresh map file holding every live id, sized for growth. */
    static IdMap rebuild(Path file, LiveOrdinals live) {
        IdMap map = IdMap.create(file, capacityFor(live.count()));
        for (int ordinal : live.toArray()) {
            map.put(PointCodec.idBytes(live.idOf(ordinal)), ordinal);
        }
        return map;
    }

    /** Closes {@code map} and returns the state to record for a clean close. */
    static State closeClean(IdMap map) throws IOException {
        map.close();
        return new State(true, map.capacity(), Files.size(map.file()), crc(map.file()));
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
                return "was not closed cleanly";
            }
            long length = Files.size(file);
            if (length != state.length()) {
                return "has length " + length + " instead of " + state.length();
            }
            if (crc(file) != state.crc()) {
                return "fails its checksum";
            }
            return null;
        } catch (IOException e) {
            return "cannot be read (" + e + ")";
        }
    }

    private static String disagreement(IdMap map, LiveOrdinals live) {
        if (map.size() != live.count()) {
            return "holds " + map.size() + " ids where RocksDB has " + live.count();
        }
        for (int ordinal : live.toArray()) {
            PointId id = live.idOf(ordinal);
            int mapped = map.get(PointCodec.idBytes(id));
            if (mapped != ordinal) {
                return "maps id " + id + " to ordinal " + mapped + " where RocksDB has " + ordinal;
            }
        }
        return null;
    }

    private static long crc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    private static void closeQuietly(IdMap map) {
        if (map != null) {
            try {
                map.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a rejected id map failed", e);
            }
        }
    }
}
