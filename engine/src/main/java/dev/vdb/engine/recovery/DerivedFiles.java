package dev.vdb.engine.recovery;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The one commit protocol of every derived file (HNSW graph, BM25 snapshot, payload-index
 * snapshot), as Lucene commits a segments file: write a temporary sibling, fsync it, rename it
 * atomically over the file, fsync the directory; then the caller records the returned
 * {@link FileState} (length and CRC32C, and the write sequence the file reflects) in RocksDB,
 * the source of truth, and {@link #verify} checks a file against it before it is used.
 *
 * <p>A crash at any step leaves either the old file or the new one in place, never a torn one
 * under the file's name, and a file RocksDB has not recorded is not trusted. Stateless and
 * thread-safe.
 */
public final class DerivedFiles {

    private DerivedFiles() {}

    /** Writes a file's bytes to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * What RocksDB records of a derived file: its length and CRC32C, and the collection's write
     * sequence it reflects (0 when the file does not track one).
     */
    public record FileState(long length, long crc, long asOf) {
        private static final byte FORMAT = 1;
        private static final int BYTES = 1 + 3 * 8;

        public byte[] encode() {
            return ByteBuffer.allocate(BYTES).put(FORMAT).putLong(length).putLong(crc).putLong(asOf).array();
        }

        /** The decoded state, or null when there is none or it is of an unknown format. */
        public static FileState decode(byte[] bytes) {
            if (bytes == null || bytes.length != BYTES || bytes[0] != FORMAT) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            return new FileState(buf.getLong(1), buf.getLong(9), buf.getLong(17));
        }
    }

    /**
     * Writes {@code file} by the commit protocol and returns its state (to record in RocksDB once
     * this returns).
     */
    public static FileState commit(Path file, Writer writer, long asOf) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        long[] length = {0};
        try (OutputStream out = new BufferedOutputStream(new FilterOutputStream(Files.newOutputStream(tmp)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                crc.update(b, off, len);
                length[0] += len;
                out.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                crc.update(b);
                length[0]++;
                out.write(b);
            }
        }, 1 << 16)) {
            writer.write(out);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
        return new FileState(length[0], crc.getValue(), asOf);
    }

    /** Makes a rename or a deletion in {@code dir} durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Checks that {@code file} is the one {@code state} recorded: same length and CRC32C.
     *
     * @throws IOException naming what differs
     */
    public static void verify(Path file, FileState state) throws IOException {
        verifyLength(file, state);
        verifyCrc(crc(file), state);
    }

    /**
     * Checks that {@code file} exists with the length {@code state} recorded: the first half of
     * {@link #verify}, for a reader that computes the checksum while it reads ({@link #verifyCrc}).
     *
     * @throws IOException naming what differs
     */
    public static void verifyLength(Path file, FileState state) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("it is missing");
        }
        long length = Files.size(file);
        if (length != state.length()) {
            throw new IOException("it has " + length + " bytes, " + state.length() + " were recorded");
        }
    }

    /**
     * Checks a file's CRC32C, {@code crc}, against the one {@code state} recorded.
     *
     * @throws IOException naming both when they differ
     */
    public static void verifyCrc(long crc, FileState state) throws IOException {
        if (crc != state.crc()) {
            throw new IOException(String.format("it fails its checksum (%x, %x was recorded)", crc, state.crc()));
        }
    }

    /** The CRC32C of a whole file. */
    public static long crc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}
