package dev.vdb.index.text;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The byte format of an {@link InvertedIndex} snapshot (for a RocksDB value), version 1, all
 * integers big-endian:
 *
 * <pre>
 * int    magic 0x56445458 ("VDTX")
 * int    version (1)
 * UTF    analyzer name
 * int    term count T, then T x UTF term (ids 0..T-1, only terms with postings)
 * int    document count D, then D x { int ordinal, int length, int n, n x int term id (ascending), n x int freq }
 * long   CRC32C of every byte before it
 * </pre>
 *
 * Postings, impacts and statistics are derived on load (the per-document term lists are the
 * source), so they are exact by construction.
 *
 * <p>Stateless and thread-safe; serialising must not run concurrently with a write to the index.
 */
public final class InvertedIndexFormat {

    static final int MAGIC = 0x56445458;
    static final int VERSION = 1;

    private InvertedIndexFormat() {}

    /** The snapshot of {@code index}. */
    public static byte[] write(InvertedIndex index) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(index.analyzer().name());
            int[] compactIds = new int[index.termCount()];
            Arrays.fill(compactIds, -1);
            int terms = 0;
            for (int id = 0; id < index.termCount(); id++) {
                if (index.postings(id).size() > 0) {
                    compactIds[id] = terms++;
                }
            }
            out.writeInt(terms);
            for (int id = 0; id < index.termCount(); id++) {
                if (compactIds[id] >= 0) {
                    out.writeUTF(index.term(id));
                }
            }
            out.writeInt(index.documents());
            for (int ordinal = 0; ordinal <= index.maxOrdinal(); ordinal++) {
                if (!index.contains(ordinal)) {
                    continue;
                }
                int[] ids = index.documentTermIds(ordinal);
                int[] freqs = index.documentTermFreqs(ordinal);
                out.writeInt(ordinal);
                out.writeInt(index.length(ordinal));
                out.writeInt(ids.length);
                for (int id : ids) {
                    out.writeInt(compactIds[id]);
                }
                for (int freq : freqs) {
                    out.writeInt(freq);
                }
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The index a snapshot holds.
     *
     * @throws IllegalArgumentException if the bytes are not a snapshot of a supported version, or
     *     are corrupt (checksum, truncation)
     */
    public static InvertedIndex read(byte[] snapshot) {
        if (snapshot == null || snapshot.length < 16) {
            throw new IllegalArgumentException("snapshot: too short to be an index snapshot ("
                    + (snapshot == null ? "null" : snapshot.length + " bytes") + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(snapshot, 0, snapshot.length - 8);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IllegalArgumentException("snapshot: bad magic 0x" + Integer.toHexString(magic));
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("snapshot: unsupported format version " + version
                        + " (this build reads " + VERSION + ")");
            }
            long stored = java.nio.ByteBuffer.wrap(snapshot, snapshot.length - 8, 8).getLong();
            if (stored != crc.getValue()) {
                throw new IllegalArgumentException("snapshot: checksum mismatch (stored " + Long.toHexString(stored)
                        + ", computed " + Long.toHexString(crc.getValue()) + ")");
            }
            InvertedIndex index = new InvertedIndex(Analyzer.named(in.readUTF()));
            int terms = in.readInt();
            int[] ids = new int[terms];
            for (int i = 0; i < terms; i++) {
                ids[i] = index.intern(in.readUTF());
            }
            int documents = in.readInt();
            for (int d = 0; d < documents; d++) {
                int ordinal = in.readInt();
                if (ordinal < 0 || index.contains(ordinal)) {
                    throw new IllegalArgumentException("snapshot: invalid or repeated ordinal " + ordinal);
                }
                int length = in.readInt();
                int n = in.readInt();
                int[] docIds = new int[n];
                int[] freqs = new int[n];
                for (int i = 0; i < n; i++) {
                    docIds[i] = ids[in.readInt()];
                }
                for (int i = 0; i < n; i++) {
                    freqs[i] = in.readInt();
                }
                index.store(ordinal, docIds, freqs, length);
            }
            return index;
        } catch (IOException e) {
            throw new IllegalArgumentException("snapshot: truncated or corrupt (" + e + ")", e);
        }
    }
}
