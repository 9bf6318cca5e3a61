package dev.vdb.bench.engines;

import dev.vdb.index.VectorSimilarity;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The rows of an {@code fvecs} file (per row: int32 LE dimension, then the floats LE) read on
 * demand with positional reads, each prepared for a similarity: nothing of the file is held on
 * the heap or mapped into the process, so neither the heap nor the resident memory the scale run
 * reports counts the input (the OS page cache does). Thread-safe (positional reads).
 */
public final class FvecsRows implements BaseVectors, Closeable {

    private final FileChannel channel;
    private final VectorSimilarity similarity;
    private final int dim;
    private final int size;

    public FvecsRows(Path fvecs, VectorSimilarity similarity) throws IOException {
        this.channel = FileChannel.open(fvecs, StandardOpenOption.READ);
        this.similarity = similarity;
        ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(head, 0);
        this.dim = head.getInt(0);
        long stride = 4L + 4L * dim;
        if (dim < 1 || channel.size() % stride != 0) {
            channel.close();
            throw new IOException(fvecs + " is not an fvecs file: dimension " + dim + ", " + channel.size() + " bytes");
        }
        this.size = Math.toIntExact(channel.size() / stride);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public float[] row(int i) {
        ByteBuffer buf = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
        long position = i * (4L + 4L * dim) + 4;
        try {
            while (buf.hasRemaining()) {
                if (channel.read(buf, position + buf.position()) < 0) {
                    throw new IOException("fvecs file ends inside row " + i);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        float[] out = new float[dim];
        buf.flip().asFloatBuffer().get(out);
        return similarity.prepare(out);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
