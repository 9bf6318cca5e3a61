package dev.vdb.engine.recovery;

import java.nio.ByteBuffer;

/**
 * What RocksDB records about a quantized collection's memory-mapped full-precision vector file
 * ({@link dev.vdb.index.MappedVectorStore}): which file it is (the random generation in its
 * header) and how many leading vectors were durable in it when the record was written. The
 * file is not rewritten by the {@link DerivedFiles} commit protocol (it grows in place, one
 * vector per write), so this record plays the part of that protocol's length and checksum: it is
 * written only after an fsync of the file, and names a prefix that no write ever changes again.
 * See {@code CollectionVectors} for why that is sound.
 *
 * @param generation the file's generation
 * @param vectors the ordinals below this were durable in the file
 * @param dimension the vectors' dimension
 */
public record VectorFileState(long generation, int vectors, int dimension) {

    private static final byte FORMAT = 1;
    private static final int BYTES = 1 + 8 + 4 + 4;

    public VectorFileState {
        if (vectors < 0 || dimension <= 0) {
            throw new IllegalArgumentException("vectors must be non-negative and dimension positive, got "
                    + vectors + " and " + dimension);
        }
    }

    public byte[] encode() {
        return ByteBuffer.allocate(BYTES).put(FORMAT).putLong(generation).putInt(vectors).putInt(dimension).array();
    }

    /** The decoded state, or null when there is none or it is of an unknown format. */
    public static VectorFileState decode(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES || bytes[0] != FORMAT) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int vectors = buf.getInt(9);
        int dimension = buf.getInt(13);
        return vectors < 0 || dimension <= 0 ? null : new VectorFileState(buf.getLong(1), vectors, dimension);
    }
}
