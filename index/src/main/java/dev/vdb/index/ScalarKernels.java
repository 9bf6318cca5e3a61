package dev.vdb.index;

/**
 * Plain-loop distance kernels: the reference that {@link PanamaKernels} is tested against, and
 * the fallback where the Vector API is unavailable ({@link VectorKernels}). Sums run in index
 * order, one accumulator per vector. Stateless, thread-safe and allocation-free.
 */
public final class ScalarKernels implements DistanceKernels {

    /** The one instance. */
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {}

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            float d = a[aOff + i] - b[bOff + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dot4(float[] q, int qOff, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                     float[] d, int dOff, int dim, float[] out, int outOff) {
        out[outOff] = dot(q, qOff, a, aOff, dim);
        out[outOff + 1] = dot(q, qOff, b, bOff, dim);
        out[outOff + 2] = dot(q, qOff, c, cOff, dim);
        out[outOff + 3] = dot(q, qOff, d, dOff, dim);
    }

    @Override
    public void squareDistance4(float[] q, int qOff, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                float[] d, int dOff, int dim, float[] out, int outOff) {
        out[outOff] = squareDistance(q, qOff, a, aOff, dim);
        out[outOff + 1] = squareDistance(q, qOff, b, bOff, dim);
        out[outOff + 2] = squareDistance(q, qOff, c, cOff, dim);
        out[outOff + 3] = squareDistance(q, qOff, d, dOff, dim);
    }

    @Override
    public void dot8(float[] q, int qOff, float[][] pages, int[] offsets, int dim, float[] out, int outOff) {
        for (int j = 0; j < 8; j++) {
            out[outOff + j] = dot(q, qOff, pages[j], offsets[j], dim);
        }
    }

    @Override
    public void squareDistance8(float[] q, int qOff, float[][] pages, int[] offsets, int dim, float[] out, int outOff) {
        for (int j = 0; j < 8; j++) {
            out[outOff + j] = squareDistance(q, qOff, pages[j], offsets[j], dim);
        }
    }

    @Override
    public int nonzeroBlocks(float[] v, int off, int dim, int[] blocks) {
        int count = 0;
        for (int s = 0; s < dim; s += BLOCK) {
            boolean nonzero = false;
            for (int i = off + s; i < off + s + BLOCK; i++) {
                nonzero |= v[i] != 0f;
            }
            if (nonzero) {
                blocks[count++] = s;
            }
        }
        return count;
    }

    @Override
    public float dotBlocks(float[] q, int qOff, int[] blocks, int count, float[] x, int xOff) {
        float sum = 0f;
        for (int b = 0; b < count; b++) {
            int s = blocks[b];
            for (int i = s; i < s + BLOCK; i++) {
                sum = Math.fma(q[qOff + i], x[xOff + i], sum);
            }
        }
        return sum;
    }

    @Override
    public void dotBlocks8(float[] q, int qOff, int[] blocks, int count, float[][] pages, int[] offsets, float[] out,
                           int outOff) {
        for (int j = 0; j < 8; j++) {
            out[outOff + j] = dotBlocks(q, qOff, blocks, count, pages[j], offsets[j]);
        }
    }

    @Override
    public int dotBytes(byte[] a, int aOff, byte[] b, int bOff, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public int squareDistanceBytes(byte[] a, int aOff, byte[] b, int bOff, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            int d = a[aOff + i] - b[bOff + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dotBytes4(byte[] q, int qOff, byte[][] pages, int[] offsets, int dim, int[] out) {
        for (int j = 0; j < 4; j++) {
            out[j] = dotBytes(q, qOff, pages[j], offsets[j], dim);
        }
    }

    @Override
    public void squareDistanceBytes4(byte[] q, int qOff, byte[][] pages, int[] offsets, int dim, int[] out) {
        for (int j = 0; j < 4; j++) {
            out[j] = squareDistanceBytes(q, qOff, pages[j], offsets[j], dim);
        }
    }

    @Override
    public int wholeNumberCode(float[] v, int dim, float lo, byte[] out) {
        return wholeNumberCode(v, 0, dim, lo, out, 0);
    }

    /** {@link #wholeNumberCode} from {@code from} on, adding to {@code sum}: also the SIMD kernel's tail. */
    static int wholeNumberCode(float[] v, int from, int dim, float lo, byte[] out, int sum) {
        float hi = lo + 255;
        int shift = (int) lo + 128;
        boolean whole = true;
        for (int i = from; i < dim; i++) {
            float x = v[i];
            int level = (int) x;
            whole &= level == x & x >= lo & x <= hi;
            int s = level - shift;
            sum += s;
            out[i] = (byte) s;
        }
        return whole ? sum : NOT_WHOLE;
    }

    @Override
    public int int8Code(float[] v, int dim, float lo, float inv, byte[] out, int outOff) {
        return int8Code(v, 0, dim, lo, inv, out, outOff, 0);
    }

    /** {@link #int8Code} from {@code from} on, adding to {@code sum}: also the SIMD kernel's tail. */
    static int int8Code(float[] v, int from, int dim, float lo, float inv, byte[] out, int outOff, int sum) {
        for (int i = from; i < dim; i++) {
            int s = Math.max(0, Math.min(255, Math.round((v[i] - lo) * inv))) - 128;
            out[outOff + i] = (byte) s;
            sum += s;
        }
        return sum;
    }
}
