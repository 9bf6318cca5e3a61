package dev.vdb.engine.snapshot;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Writes one snapshot file (docs/FORMAT.md, "Snapshot file"): the header, then parts one after
 * another (each a byte range whose length and CRC32C go into the manifest), then the manifest and
 * the footer that locates it; {@link #finish} fsyncs the file and returns its SHA-256.
 *
 * <pre>{@code
 * try (SnapshotWriter out = new SnapshotWriter(tmp)) {
 *     DataOutputStream part = out.beginPart();
 *     ... write ...
 *     SnapshotManifest.Part records = out.endPart(SnapshotManifest.Part.RECORDS, count);
 *     String sha256 = out.finish(manifest);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one writer, one thread. Buffers 256 KiB.
 */
public final class SnapshotWriter implements AutoCloseable {

    static final int MAGIC = 0x56534E50; // "VSNP"
    static final int VERSION = 1;
    static final int HEADER_BYTES = 8;
    static final int FOOTER_BYTES = 8 + 4 + 8 + 4;

    private final FileChannel channel;
    private final MessageDigest sha256;
    private final CRC32C partCrc = new CRC32C();
    private final DataOutputStream out;
    private long position;
    private long partStart = -1;

    /** Creates {@code file} (which must not exist) and writes the header. */
    public SnapshotWriter(Path file) throws IOException {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream file0 = Channels.newOutputStream(channel);
        out = new DataOutputStream(new BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                sha256.update(b, off, len);
                partCrc.update(b, off, len);
                position += len;
                file0.write(b, off, len);
            }
        }, 256 * 1024));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
    }

    /** Starts a part; write its bytes to the stream returned, then call {@link #endPart}. */
    public DataOutputStream beginPart() throws IOException {
        if (partStart >= 0) {
            throw new IllegalStateException("a part is already open");
        }
        out.flush();
        partCrc.reset();
        partStart = position;
        return out;
    }

    /** Ends the open part; returns where it lies and its CRC32C, for the manifest. */
    public SnapshotManifest.Part endPart(String role, long records) throws IOException {
        if (partStart < 0) {
            throw new IllegalStateException("no part is open");
        }
        out.flush();
        SnapshotManifest.Part part = new SnapshotManifest.Part(role, partStart, position - partStart, partCrc.getValue(),
                records);
        partStart = -1;
        return part;
    }

    /** Writes the manifest and the footer, makes the file durable and returns its SHA-256 (hex). */
    public String finish(SnapshotManifest manifest) throws IOException {
        if (partStart >= 0) {
            throw new IllegalStateException("a part is still open");
        }
        byte[] json = manifest.encode();
        out.flush();
        long manifestOffset = position;
        CRC32C crc = new CRC32C();
        crc.update(json);
        out.write(json);
        out.write(ByteBuffer.allocate(FOOTER_BYTES).putLong(manifestOffset).putInt(json.length)
                .putLong(crc.getValue()).putInt(MAGIC).array());
        out.flush();
        channel.force(true);
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
