package dev.vdb.engine.snapshot;

import dev.vdb.engine.InvalidSnapshotException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a snapshot file that {@link SnapshotWriter} wrote, refusing anything else: {@link #open}
 * checks the header, the footer and the manifest's checksum and that the parts tile the file
 * between header and manifest; {@link #verify} checks every part's CRC32C. A failure is an
 * {@link InvalidSnapshotException} saying what is wrong (not a vdb snapshot, truncated, damaged).
 *
 * <p>Not thread-safe; holds the file open until {@link #close}.
 */
public final class SnapshotReader implements AutoCloseable {

    /** The most bytes one record key or value may declare (a damaged length is refused, not allocated). */
    private static final int MAX_RECORD_BYTES = 256 << 20;

    private final FileChannel channel;
    private final SnapshotManifest manifest;

    private SnapshotReader(FileChannel channel, SnapshotManifest manifest) {
        this.channel = channel;
        this.manifest = manifest;
    }

    /** Receives one record of a records part. */
    public interface RecordVisitor {
        void visit(byte[] key, byte[] value) throws IOException;
    }

    /** Opens {@code file} and checks its structure and manifest (not yet the parts' checksums). */
    public static SnapshotReader open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new InvalidSnapshotException("there is no snapshot file " + file.getFileName());
        } catch (IOException e) {
            throw new InvalidSnapshotException("the snapshot file cannot be read: " + e.getMessage(), e);
        }
        try {
            SnapshotReader reader = new SnapshotReader(channel, readManifest(channel));
            reader.checkLayout();
            return reader;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            if (e instanceof InvalidSnapshotException invalid) {
                throw invalid;
            }
            throw new InvalidSnapshotException("the snapshot file cannot be read: " + e.getMessage(), e);
        }
    }

    private static SnapshotManifest readManifest(FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer header = read(channel, 0, (int) Math.min(size, SnapshotWriter.HEADER_BYTES));
        if (header.remaining() < SnapshotWriter.HEADER_BYTES || header.getInt(0) != SnapshotWriter.MAGIC) {
            throw new InvalidSnapshotException("not a vdb snapshot: the file does not start with the snapshot magic");
        }
        if (header.getInt(4) != SnapshotWriter.VERSION) {
            throw new InvalidSnapshotException("the snapshot is of format version " + header.getInt(4)
                    + "; this vdb reads version " + SnapshotWriter.VERSION);
        }
        if (size < SnapshotWriter.HEADER_BYTES + SnapshotWriter.FOOTER_BYTES) {
            throw truncated();
        }
        ByteBuffer footer = read(channel, size - SnapshotWriter.FOOTER_BYTES, SnapshotWriter.FOOTER_BYTES);
        long offset = footer.getLong(0);
        int length = footer.getInt(8);
        long crc = footer.getLong(12);
        if (footer.getInt(20) != SnapshotWriter.MAGIC || offset < SnapshotWriter.HEADER_BYTES || length <= 0
                || offset + length != size - SnapshotWriter.FOOTER_BYTES) {
            throw truncated();
        }
        ByteBuffer json = read(channel, offset, length);
        CRC32C check = new CRC32C();
        check.update(json.duplicate());
        if (check.getValue() != crc) {
            throw new InvalidSnapshotException("the snapshot is damaged: its manifest fails its checksum");
        }
        byte[] bytes = new byte[length];
        json.get(bytes);
        return SnapshotManifest.decode(bytes);
    }

    private static InvalidSnapshotException truncated() {
        return new InvalidSnapshotException("the snapshot is truncated or damaged: its footer is missing"
                + " (an unfinished or cut-short file?)");
    }

    /** The parts must lie end to end between the header and the manifest, each once. */
    private void checkLayout() throws IOException {
        long manifestOffset = channel.size() - SnapshotWriter.FOOTER_BYTES
                - read(channel, channel.size() - SnapshotWriter.FOOTER_BYTES, 12).getInt(8);
        List<SnapshotManifest.Part> parts = new ArrayList<>();
        manifest.collections().forEach(c -> parts.addAll(c.parts()));
        parts.sort(Comparator.comparingLong(SnapshotManifest.Part::offset));
        long expected = SnapshotWriter.HEADER_BYTES;
        for (SnapshotManifest.Part p : parts) {
            if (p.offset() != expected || p.length() < 0) {
                throw new InvalidSnapshotException("the snapshot is damaged: its manifest places a part at byte "
                        + p.offset() + " where " + expected + " was expected");
            }
            expected += p.length();
        }
        if (expected != manifestOffset) {
            throw new InvalidSnapshotException("the snapshot is damaged: its parts end at byte " + expected
                    + ", its manifest starts at " + manifestOffset);
        }
    }

    public SnapshotManifest manifest() {
        return manifest;
    }

    /** Checks every part against its CRC32C. */
    public void verify() {
        for (SnapshotManifest.Entry c : manifest.collections()) {
            for (SnapshotManifest.Part p : c.parts()) {
                CRC32C crc = new CRC32C();
                byte[] buffer = new byte[1 << 16];
                try (InputStream in = part(p)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        crc.update(buffer, 0, n);
                    }
                } catch (IOException e) {
                    throw new InvalidSnapshotException("the snapshot file cannot be read: " + e.getMessage(), e);
                }
                if (crc.getValue() != p.crc32c()) {
                    throw new InvalidSnapshotException("the snapshot is damaged: the " + p.role() + " part of collection '"
                            + c.name() + "' fails its checksum");
                }
            }
        }
    }

    /** The bytes of a part. */
    public InputStream part(SnapshotManifest.Part part) throws IOException {
        InputStream all = Channels.newInputStream(channel.position(part.offset()));
        return new BufferedInputStream(new InputStream() {
            private long left = part.length();

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = all.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        }, 1 << 16);
    }

    /** Visits the records of a records part, in order; checks their count. */
    public void forEachRecord(SnapshotManifest.Part part, RecordVisitor visitor) throws IOException {
        long count = 0;
        try (DataInputStream in = new DataInputStream(part(part))) {
            while (true) {
                int keyLength;
                try {
                    keyLength = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                byte[] key = readBytes(in, keyLength);
                byte[] value = readBytes(in, in.readInt());
                visitor.visit(key, value);
                count++;
            }
        }
        if (count != part.records()) {
            throw new InvalidSnapshotException("the snapshot is damaged: its records part holds " + count
                    + " records, its manifest says " + part.records());
        }
    }

    private static byte[] readBytes(DataInputStream in, int length) throws IOException {
        if (length < 0 || length > MAX_RECORD_BYTES) {
            throw new InvalidSnapshotException("the snapshot is damaged: a record of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("the file ends at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
