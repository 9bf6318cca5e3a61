package dev.vdb.testkit.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Readers for the TEXMEX {@code .fvecs} / {@code .ivecs} formats: per row, an int32
 * little-endian length d, then d float32 (or int32) little-endian values.
 */
public final class Vecs {

    private Vecs() {}

    /** All rows of an {@code .fvecs} file. */
    public static float[][] readFvecs(Path file) throws IOException {
        return readFvecs(file, Integer.MAX_VALUE);
    }

    /** The first {@code maxRows} rows of an {@code .fvecs} file. */
    public static float[][] readFvecs(Path file, int maxRows) throws IOException {
        ByteBuffer buf = map(file);
        int dim = buf.getInt(0);
        int rows = (int) Math.min(maxRows, buf.capacity() / (4L * (dim + 1)));
        float[][] out = new float[rows][dim];
        for (int r = 0; r < rows; r++) {
            int d = buf.getInt();
            if (d != dim) {
                throw new IOException(file + ": row " + r + " has dimension " + d + ", expected " + dim);
            }
            buf.asFloatBuffer().get(out[r]);
            buf.position(buf.position() + 4 * dim);
        }
        return out;
    }

    /** All rows of an {@code .ivecs} file. */
    public static int[][] readIvecs(Path file) throws IOException {
        ByteBuffer buf = map(file);
        int dim = buf.getInt(0);
        int rows = (int) (buf.capacity() / (4L * (dim + 1)));
        int[][] out = new int[rows][dim];
        for (int r = 0; r < rows; r++) {
            int d = buf.getInt();
            if (d != dim) {
                throw new IOException(file + ": row " + r + " has dimension " + d + ", expected " + dim);
            }
            buf.asIntBuffer().get(out[r]);
            buf.position(buf.position() + 4 * dim);
        }
        return out;
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < 4) {
                throw new IOException(file + " is empty");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
