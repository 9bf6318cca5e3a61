package dev.vdb.index;

/**
 * The distance kernels the index computes with, over vectors stored in {@code float[]} slabs at
 * an offset. Two implementations: {@link PanamaKernels} on the Vector API and
 * {@link ScalarKernels}, plain loops; {@link VectorKernels} picks one once per JVM.
 * Implementations are stateless, thread-safe and allocation-free.
 */
public interface DistanceKernels {

    /** Inner product of {@code a[aOff..aOff+dim)} and {@code b[bOff..bOff+dim)}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int dim);

    /** Squared Euclidean distance of {@code a[aOff..aOff+dim)} and {@code b[bOff..bOff+dim)}. */
    float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim);

    /**
     * Inner products of {@code q[qOff..qOff+dim)} with four vectors at once, into
     * {@code out[outOff..outOff+4)}. Interleaving four streams lets the CPU fetch four vectors
     * from memory in parallel, which is what a graph search waits on.
     */
    void dot4(float[] q, int qOff, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
              float[] d, int dOff, int dim, float[] out, int outOff);

    /** Squared Euclidean distances of {@code q} to four vectors at once; see {@link #dot4}. */
    void squareDistance4(float[] q, int qOff, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                         float[] d, int dOff, int dim, float[] out, int outOff);

    /**
     * Inner products of {@code q[qOff..qOff+dim)} with eight vectors at once, vector {@code j}
     * at {@code (pages[j], offsets[j])}, into {@code out[outOff..outOff+8)}. Eight streams in
     * flight instead of four: when the vectors come from memory rather than cache (high
     * dimensions, large sets) the CPU overlaps more of their fetches.
     */
    void dot8(float[] q, int qOff, float[][] pages, int[] offsets, int dim, float[] out, int outOff);

    /** Squared Euclidean distances of {@code q} to eight vectors at once; see {@link #dot8}. */
    void squareDistance8(float[] q, int qOff, float[][] pages, int[] offsets, int dim, float[] out, int outOff);

    /** Floats in one block of {@link #nonzeroBlocks} and {@link #dotBlocks8}. */
    int BLOCK = 16;

    /**
     * Writes to {@code blocks} the start (relative to {@code off}) of each {@link #BLOCK}-float
     * block of {@code v[off..off+dim)} that holds a nonzero value, in order, and returns how many
     * there are; {@code dim} is a multiple of {@link #BLOCK}.
     */
    int nonzeroBlocks(float[] v, int off, int dim, int[] blocks);

    /**
     * Inner product of {@code q} with {@code x} over the {@code count} blocks listed in
     * {@code blocks} (as {@link #nonzeroBlocks} gives them): the whole inner product when the
     * blocks left out are zero in {@code q}. One accumulator, blocks in order, as
     * {@link #dotBlocks8} per vector, so both give the same value for the same pair.
     */
    float dotBlocks(float[] q, int qOff, int[] blocks, int count, float[] x, int xOff);

    /** {@link #dotBlocks} of {@code q} with eight vectors at once, vector {@code j} at {@code (pages[j], offsets[j])}. */
    void dotBlocks8(float[] q, int qOff, int[] blocks, int count, float[][] pages, int[] offsets, float[] out,
                    int outOff);

    /**
     * Inner product of the int8 codes {@code a[aOff..aOff+dim)} and {@code b[bOff..bOff+dim)},
     * exact in int arithmetic (dimensions up to 65,536 cannot overflow it).
     */
    int dotBytes(byte[] a, int aOff, byte[] b, int bOff, int dim);

    /** Squared Euclidean distance of two int8 codes, exact in int arithmetic. */
    int squareDistanceBytes(byte[] a, int aOff, byte[] b, int bOff, int dim);

    /**
     * {@link #dotBytes} of the code {@code q[qOff..qOff+dim)} with four codes at once, code
     * {@code j} at {@code (pages[j], offsets[j])}, into {@code out[0..4)}: the query is widened
     * once per step and the four codes' fetches overlap.
     */
    void dotBytes4(byte[] q, int qOff, byte[][] pages, int[] offsets, int dim, int[] out);

    /** {@link #squareDistanceBytes} of {@code q} to four codes at once; see {@link #dotBytes4}. */
    void squareDistanceBytes4(byte[] q, int qOff, byte[][] pages, int[] offsets, int dim, int[] out);

    /** What {@link #wholeNumberCode} returns for a vector that is not whole numbers in the range. */
    int NOT_WHOLE = Integer.MIN_VALUE;

    /**
     * When every value of {@code v[0..dim)} is a whole number in {@code [lo, lo + 255]} ({@code lo}
     * itself whole), writes {@code v[i] - lo - 128} to {@code out[0..dim)} (the one-byte code of
     * an int8 range 255 wide, which steps by exactly 1) and returns the sum of those levels; else
     * returns {@link #NOT_WHOLE}, and {@code out} holds nothing of use. NaN and infinities are not
     * whole numbers.
     */
    int wholeNumberCode(float[] v, int dim, float lo, byte[] out);

    /**
     * The int8 code of {@code v[0..dim)} for the range starting at {@code lo} with levels
     * {@code 1 / inv} apart: writes {@code round((v[i] - lo) * inv)} clamped to 0..255, minus
     * 128, to {@code out[outOff + i]}, and returns the sum of those signed levels. Rounds half up
     * as {@link Math#round(float)} does, and every implementation writes the same bytes (codes
     * stored by one are compared with queries coded by another).
     */
    int int8Code(float[] v, int dim, float lo, float inv, byte[] out, int outOff);
}
