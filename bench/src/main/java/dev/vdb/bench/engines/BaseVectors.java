package dev.vdb.bench.engines;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The base vectors an engine indexes, row by row: either arrays already on the heap, or an
 * {@code fvecs} file mapped read-only (for the scale run, where a million 768-d vectors do not
 * fit the 2 GB heap the engines get). Rows are already prepared for the metric.
 * Thread-safe: rows may be read from several threads.
 */
public interface BaseVectors {

    int size();

    int dimension();

    /** Row {@code i}; the caller must not modify it (a heap row is the array itself). */
    float[] row(int i);

    /** Every row in one heap array (a mapped file copies all of it onto the heap). */
    default float[][] toArray() {
        float[][] rows = new float[size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(i);
        }
        return rows;
    }

    /** Rows held on the heap. */
    static BaseVectors of(float[][] rows) {
        return new BaseVectors() {
            @Override
            public int size() {
                return rows.length;
            }

            @Override
            public int dimension() {
                return rows[0].length;
            }

            @Override
            public float[] row(int i) {
                return rows[i];
            }

            @Override
            public float[][] toArray() {
                return rows;
            }
        };
    }

    /**
     * The rows of an {@code fvecs} file (per row: int32 LE dimension, then the floats LE),
     * mapped read-only in chunks of at most 1 GiB (the mapping lives until the buffers are
     * collected); each {@link #row} copies one row onto the heap.
     */
    static BaseVectors mapped(Path fvecs) throws IOException {
        try (FileChannel channel = FileChannel.open(fvecs, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(head, 0);
            int dim = head.getInt(0);
            long stride = 4L + 4L * dim;
            long bytes = channel.size();
            if (dim < 1 || bytes % stride != 0) {
                throw new IOException(fvecs + " is not an fvecs file of dimension " + dim + " (" + bytes + " bytes)");
            }
            int n = Math.toIntExact(bytes / stride);
            int chunkRows = (int) Math.max(1, (1L << 30) / stride);
            FloatBuffer[] chunks = new FloatBuffer[(n + chunkRows - 1) / chunkRows];
            for (int c = 0; c < chunks.length; c++) {
                long from = c * chunkRows * stride;
                chunks[c] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(bytes - from, chunkRows * stride))
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            }
            return new BaseVectors() {
                @Override
                public int size() {
                    return n;
                }

                @Override
                public int dimension() {
                    return dim;
                }

                @Override
                public float[] row(int i) {
                    float[] out = new float[dim];
                    chunks[i / chunkRows].get((i % chunkRows) * (dim + 1) + 1, out); // absolute: thread-safe
                    return out;
                }
            };
        }
    }
}
