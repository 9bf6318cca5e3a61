package dev.vdb.index;

import java.lang.System.Logger.Level;

/**
 * The distance kernels of this JVM, chosen once, when the class loads: {@link PanamaKernels}
 * on the Vector API when the {@code jdk.incubator.vector} module is loaded (the JVM was started
 * with {@code --add-modules=jdk.incubator.vector}) and offers vectors of 128 bits or more; else
 * {@link ScalarKernels}, after one warning through {@link System.Logger} (a search then runs
 * several times slower, but runs). The choice sits in a {@code static final} field, so C2
 * compiles every call through it into a direct, inlinable call to the chosen class.
 *
 * <p>Stateless, thread-safe, allocation-free.
 */
public final class VectorKernels {

    /** The Vector API module, which the JVM loads only when asked to. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final DistanceKernels IMPL = choose();

    private VectorKernels() {}

    /** The kernels chosen for this JVM. */
    public static DistanceKernels implementation() {
        return IMPL;
    }

    /** See {@link DistanceKernels#dot}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        return IMPL.dot(a, aOff, b, bOff, dim);
    }

    /** See {@link DistanceKernels#squareDistance}. */
    public static float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
        return IMPL.squareDistance(a, aOff, b, bOff, dim);
    }

    /** See {@link DistanceKernels#dot4}. */
    public static void dot4(float[] q, int qOff, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                            float[] d, int dOff, int dim, float[] out, int outOff) {
        IMPL.dot4(q, qOff, a, aOff, b, bOff, c, cOff, d, dOff, dim, out, outOff);
    }

    /** See {@link DistanceKernels#squareDistance4}. */
    public static void squareDistance4(float[] q, int qOff, float[] a, int aOff, float[] b, int bOff, float[] c,
                                       int cOff, float[] d, int dOff, int dim, float[] out, int outOff) {
        IMPL.squareDistance4(q, qOff, a, aOff, b, bOff, c, cOff, d, dOff, dim, out, outOff);
    }

    /** See {@link DistanceKernels#dot8}. */
    public static void dot8(float[] q, int qOff, float[][] pages, int[] offsets, int dim, float[] out, int outOff) {
        IMPL.dot8(q, qOff, pages, offsets, dim, out, outOff);
    }

    /** See {@link DistanceKernels#squareDistance8}. */
    public static void squareDistance8(float[] q, int qOff, float[][] pages, int[] offsets, int dim, float[] out,
                                       int outOff) {
        IMPL.squareDistance8(q, qOff, pages, offsets, dim, out, outOff);
    }

    /** See {@link DistanceKernels#nonzeroBlocks}. */
    public static int nonzeroBlocks(float[] v, int off, int dim, int[] blocks) {
        return IMPL.nonzeroBlocks(v, off, dim, blocks);
    }

    /** See {@link DistanceKernels#dotBlocks}. */
    public static float dotBlocks(float[] q, int qOff, int[] blocks, int count, float[] x, int xOff) {
        return IMPL.dotBlocks(q, qOff, blocks, count, x, xOff);
    }

    /** See {@link DistanceKernels#dotBlocks8}. */
    public static void dotBlocks8(float[] q, int qOff, int[] blocks, int count, float[][] pages, int[] offsets,
                                  float[] out, int outOff) {
        IMPL.dotBlocks8(q, qOff, blocks, count, pages, offsets, out, outOff);
    }

    /** See {@link DistanceKernels#dotBytes}. */
    public static int dotBytes(byte[] a, int aOff, byte[] b, int bOff, int dim) {
        return IMPL.dotBytes(a, aOff, b, bOff, dim);
    }

    /** See {@link DistanceKernels#squareDistanceBytes}. */
    public static int squareDistanceBytes(byte[] a, int aOff, byte[] b, int bOff, int dim) {
        return IMPL.squareDistanceBytes(a, aOff, b, bOff, dim);
    }

    /** See {@link DistanceKernels#dotBytes4}. */
    public static void dotBytes4(byte[] q, int qOff, byte[][] pages, int[] offsets, int dim, int[] out) {
        IMPL.dotBytes4(q, qOff, pages, offsets, dim, out);
    }

    /** See {@link DistanceKernels#squareDistanceBytes4}. */
    public static void squareDistanceBytes4(byte[] q, int qOff, byte[][] pages, int[] offsets, int dim, int[] out) {
        IMPL.squareDistanceBytes4(q, qOff, pages, offsets, dim, out);
    }

    /** See {@link DistanceKernels#wholeNumberCode}. */
    public static int wholeNumberCode(float[] v, int dim, float lo, byte[] out) {
        return IMPL.wholeNumberCode(v, dim, lo, out);
    }

    /** See {@link DistanceKernels#int8Code}. */
    public static int int8Code(float[] v, int dim, float lo, float inv, byte[] out, int outOff) {
        return IMPL.int8Code(v, dim, lo, inv, out, outOff);
    }

    /**
     * {@link PanamaKernels} when the Vector API can be used, else {@link ScalarKernels} and a
     * warning that says why. {@code PanamaKernels} is touched only once the module is known to
     * be loaded: without it, loading that class fails.
     */
    private static DistanceKernels choose() {
        String reason;
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            reason = "the " + VECTOR_MODULE + " module is not loaded (start the JVM with --add-modules="
                    + VECTOR_MODULE + ")";
        } else {
            try {
                int bits = PanamaKernels.vectorBits();
                if (bits >= 128) {
                    return new PanamaKernels();
                }
                reason = "the Vector API offers only " + bits + "-bit vectors on this CPU";
            } catch (LinkageError | RuntimeException e) {
                reason = "the Vector API failed to start: " + e;
            }
        }
        System.getLogger(VectorKernels.class.getName()).log(Level.WARNING,
                "vdb falls back to scalar distance kernels, several times slower than SIMD: " + reason);
        return ScalarKernels.INSTANCE;
    }
}
