package dev.vdb.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Distance kernels on the Vector API ({@code jdk.incubator.vector}): full steps of the preferred
 * species, then for float vectors of at least one step one overlapping masked step (a scalar tail
 * for shorter ones and for int8 codes).
 * Results equal {@link ScalarKernels} up to float rounding (summation order differs). Loading
 * this class needs the {@code jdk.incubator.vector} module: only {@link VectorKernels} creates
 * it, after checking. Stateless, thread-safe, allocation-free once C2 has compiled it (vectors
 * are scalar-replaced).
 */
final class PanamaKernels implements DistanceKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** The block kernels' species: the preferred one, unless wider than a {@link #BLOCK} (SVE). */
    private static final VectorSpecies<Float> BLOCK_SPECIES = LANES <= BLOCK ? SPECIES : FloatVector.SPECIES_512;
    private static final int BLOCK_LANES = BLOCK_SPECIES.length();
    /**
     * int8 kernels widen bytes to ints per step, so products and sums stay exact: 16 into 512 bits
     * where the CPU has them (one widening load each; 384-d and 768-d codes score 27-31 % faster
     * than with 8 when cached, 14 % from memory), else 8 into 256 bits.
     */
    private static final VectorSpecies<Integer> INTS =
            IntVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(INTS.vectorBitSize() / 4));
    private static final int BYTE_LANES = BYTES.length();
    /** Floats as many per step as {@link #INTS} has ints: {@link #wholeNumberCode} converts one into the other. */
    private static final VectorSpecies<Float> FLOATS_AS_INTS = VectorSpecies.of(float.class, INTS.vectorShape());

    PanamaKernels() {}

    /** Bits per vector register the kernels use (the preferred species' width). */
    static int vectorBits() {
        return SPECIES.vectorBitSize();
    }

    /**
     * The lanes of the step at {@code s = dim - LANES} that the full steps before {@code i}
     * already summed (those below {@code i - s}). The float kernels end with that one
     * overlapping step, these lanes masked off, instead of a scalar tail: at d = 100 (six steps
     * of 16 and 4 left) eight vectors scored 15 % faster from cache and 20 % from memory (the
     * scalar tail loaded each vector's last floats one by one).
     */
    private static VectorMask<Float> summed(int i, int s) {
        return SPECIES.indexInRange(0, i - s);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int dim) {
        int i = 0;
        float sum = 0f;
        if (dim >= LANES) {
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            int bound = dim - dim % (2 * LANES);
            for (; i < bound; i += 2 * LANES) {
                acc1 = FloatVector.fromArray(SPECIES, a, aOff + i)
                        .fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc1);
                acc2 = FloatVector.fromArray(SPECIES, a, aOff + i + LANES)
                        .fma(FloatVector.fromArray(SPECIES, b, bOff + i + LANES), acc2);
            }
            if (dim - i >= LANES) {
                acc1 = FloatVector.fromArray(SPECIES, a, aOff + i)
                        .fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc1);
                i += LANES;
            }
            if (i < dim) {
                int s = dim - LANES;
                acc2 = FloatVector.fromArray(SPECIES, a, aOff + s).blend(0f, summed(i, s))
                        .fma(FloatVector.fromArray(SPECIES, b, bOff + s), acc2);
                i = dim;
            }
            sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        }
        for (; i < dim; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public float squareDistance(float[] a, int aOff, float[] b, int bOff, int dim) {
        int i = 0;
        float sum = 0f;
        if (dim >= LANES) {
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            int bound = dim - dim % (2 * LANES);
            for (; i < bound; i += 2 * LANES) {
                FloatVector d1 = FloatVector.fromArray(SPECIES, a, aOff + i)
                        .sub(FloatVector.fromArray(SPECIES, b, bOff + i));
                FloatVector d2 = FloatVector.fromArray(SPECIES, a, aOff + i + LANES)
                        .sub(FloatVector.fromArray(SPECIES, b, bOff + i + LANES));
                acc1 = d1.fma(d1, acc1);
                acc2 = d2.fma(d2, acc2);
            }
            if (dim - i >= LANES) {
                FloatVector d1 = FloatVector.fromArray(SPECIES, a, aOff + i)
                        .sub(FloatVector.fromArray(SPECIES, b, bOff + i));
                acc1 = d1.fma(d1, acc1);
                i += LANES;
            }
            if (i < dim) {
                int s = dim - LANES;
                FloatVector d2 = FloatVector.fromArray(SPECIES, a, aOff + s)
                        .sub(FloatVector.fromArray(SPECIES, b, bOff + s));
                acc2 = acc2.add(d2.mul(d2), summed(i, s).not());
                i = dim;
            }
            sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        }
        for (; i < dim; i++) {
            float d = a[aOff + i] - b[bOff + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dot4(float[] q, int qOff,
                            float[] a, int aOff, float[] b, int bOff,
                            float[] c, int cOff, float[] d, int dOff,
                            int dim, float[] out, int outOff) {
        FloatVector accA = FloatVector.zero(SPECIES);
        FloatVector accB = FloatVector.zero(SPECIES);
        FloatVector accC = FloatVector.zero(SPECIES);
        FloatVector accD = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = SPECIES.loopBound(dim);
        for (; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + i);
            accA = x.fma(FloatVector.fromArray(SPECIES, a, aOff + i), accA);
            accB = x.fma(FloatVector.fromArray(SPECIES, b, bOff + i), accB);
            accC = x.fma(FloatVector.fromArray(SPECIES, c, cOff + i), accC);
            accD = x.fma(FloatVector.fromArray(SPECIES, d, dOff + i), accD);
        }
        if (i < dim && dim >= LANES) {
            int s = dim - LANES;
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + s).blend(0f, summed(i, s));
            accA = x.fma(FloatVector.fromArray(SPECIES, a, aOff + s), accA);
            accB = x.fma(FloatVector.fromArray(SPECIES, b, bOff + s), accB);
            accC = x.fma(FloatVector.fromArray(SPECIES, c, cOff + s), accC);
            accD = x.fma(FloatVector.fromArray(SPECIES, d, dOff + s), accD);
            i = dim;
        }
        float sumA = accA.reduceLanes(VectorOperators.ADD);
        float sumB = accB.reduceLanes(VectorOperators.ADD);
        float sumC = accC.reduceLanes(VectorOperators.ADD);
        float sumD = accD.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qOff + i];
            sumA += x * a[aOff + i];
            sumB += x * b[bOff + i];
            sumC += x * c[cOff + i];
            sumD += x * d[dOff + i];
        }
        out[outOff] = sumA;
        out[outOff + 1] = sumB;
        out[outOff + 2] = sumC;
        out[outOff + 3] = sumD;
    }

    @Override
    public void squareDistance4(float[] q, int qOff,
                                       float[] a, int aOff, float[] b, int bOff,
                                       float[] c, int cOff, float[] d, int dOff,
                                       int dim, float[] out, int outOff) {
        FloatVector accA = FloatVector.zero(SPECIES);
        FloatVector accB = FloatVector.zero(SPECIES);
        FloatVector accC = FloatVector.zero(SPECIES);
        FloatVector accD = FloatVector.zero(SPECIES);
        int i = 0;
        int bound = SPECIES.loopBound(dim);
        for (; i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + i);
            FloatVector da = x.sub(FloatVector.fromArray(SPECIES, a, aOff + i));
            FloatVector db = x.sub(FloatVector.fromArray(SPECIES, b, bOff + i));
            FloatVector dc = x.sub(FloatVector.fromArray(SPECIES, c, cOff + i));
            FloatVector dd = x.sub(FloatVector.fromArray(SPECIES, d, dOff + i));
            accA = da.fma(da, accA);
            accB = db.fma(db, accB);
            accC = dc.fma(dc, accC);
            accD = dd.fma(dd, accD);
        }
        if (i < dim && dim >= LANES) {
            int s = dim - LANES;
            VectorMask<Float> fresh = summed(i, s).not();
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + s);
            FloatVector da = x.sub(FloatVector.fromArray(SPECIES, a, aOff + s));
            FloatVector db = x.sub(FloatVector.fromArray(SPECIES, b, bOff + s));
            FloatVector dc = x.sub(FloatVector.fromArray(SPECIES, c, cOff + s));
            FloatVector dd = x.sub(FloatVector.fromArray(SPECIES, d, dOff + s));
            accA = accA.add(da.mul(da), fresh);
            accB = accB.add(db.mul(db), fresh);
            accC = accC.add(dc.mul(dc), fresh);
            accD = accD.add(dd.mul(dd), fresh);
            i = dim;
        }
        float sumA = accA.reduceLanes(VectorOperators.ADD);
        float sumB = accB.reduceLanes(VectorOperators.ADD);
        float sumC = accC.reduceLanes(VectorOperators.ADD);
        float sumD = accD.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qOff + i];
            float da = x - a[aOff + i];
            float db = x - b[bOff + i];
            float dc = x - c[cOff + i];
            float dd = x - d[dOff + i];
            sumA += da * da;
            sumB += db * db;
            sumC += dc * dc;
            sumD += dd * dd;
        }
        out[outOff] = sumA;
        out[outOff + 1] = sumB;
        out[outOff + 2] = sumC;
        out[outOff + 3] = sumD;
    }

    @Override
    public void dot8(float[] q, int qOff, float[][] pages, int[] offsets, int dim, float[] out, int outOff) {
        float[] p0 = pages[0], p1 = pages[1], p2 = pages[2], p3 = pages[3];
        float[] p4 = pages[4], p5 = pages[5], p6 = pages[6], p7 = pages[7];
        int o0 = offsets[0], o1 = offsets[1], o2 = offsets[2], o3 = offsets[3];
        int o4 = offsets[4], o5 = offsets[5], o6 = offsets[6], o7 = offsets[7];
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int i = 0;
        for (int bound = SPECIES.loopBound(dim); i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + i);
            a0 = x.fma(FloatVector.fromArray(SPECIES, p0, o0 + i), a0);
            a1 = x.fma(FloatVector.fromArray(SPECIES, p1, o1 + i), a1);
            a2 = x.fma(FloatVector.fromArray(SPECIES, p2, o2 + i), a2);
            a3 = x.fma(FloatVector.fromArray(SPECIES, p3, o3 + i), a3);
            a4 = x.fma(FloatVector.fromArray(SPECIES, p4, o4 + i), a4);
            a5 = x.fma(FloatVector.fromArray(SPECIES, p5, o5 + i), a5);
            a6 = x.fma(FloatVector.fromArray(SPECIES, p6, o6 + i), a6);
            a7 = x.fma(FloatVector.fromArray(SPECIES, p7, o7 + i), a7);
        }
        if (i < dim && dim >= LANES) {
            int s = dim - LANES;
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + s).blend(0f, summed(i, s));
            a0 = x.fma(FloatVector.fromArray(SPECIES, p0, o0 + s), a0);
            a1 = x.fma(FloatVector.fromArray(SPECIES, p1, o1 + s), a1);
            a2 = x.fma(FloatVector.fromArray(SPECIES, p2, o2 + s), a2);
            a3 = x.fma(FloatVector.fromArray(SPECIES, p3, o3 + s), a3);
            a4 = x.fma(FloatVector.fromArray(SPECIES, p4, o4 + s), a4);
            a5 = x.fma(FloatVector.fromArray(SPECIES, p5, o5 + s), a5);
            a6 = x.fma(FloatVector.fromArray(SPECIES, p6, o6 + s), a6);
            a7 = x.fma(FloatVector.fromArray(SPECIES, p7, o7 + s), a7);
            i = dim;
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        float s4 = a4.reduceLanes(VectorOperators.ADD), s5 = a5.reduceLanes(VectorOperators.ADD);
        float s6 = a6.reduceLanes(VectorOperators.ADD), s7 = a7.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qOff + i];
            s0 += x * p0[o0 + i];
            s1 += x * p1[o1 + i];
            s2 += x * p2[o2 + i];
            s3 += x * p3[o3 + i];
            s4 += x * p4[o4 + i];
            s5 += x * p5[o5 + i];
            s6 += x * p6[o6 + i];
            s7 += x * p7[o7 + i];
        }
        out[outOff] = s0;
        out[outOff + 1] = s1;
        out[outOff + 2] = s2;
        out[outOff + 3] = s3;
        out[outOff + 4] = s4;
        out[outOff + 5] = s5;
        out[outOff + 6] = s6;
        out[outOff + 7] = s7;
    }

    @Override
    public void squareDistance8(float[] q, int qOff, float[][] pages, int[] offsets, int dim, float[] out, int outOff) {
        float[] p0 = pages[0], p1 = pages[1], p2 = pages[2], p3 = pages[3];
        float[] p4 = pages[4], p5 = pages[5], p6 = pages[6], p7 = pages[7];
        int o0 = offsets[0], o1 = offsets[1], o2 = offsets[2], o3 = offsets[3];
        int o4 = offsets[4], o5 = offsets[5], o6 = offsets[6], o7 = offsets[7];
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int i = 0;
        for (int bound = SPECIES.loopBound(dim); i < bound; i += LANES) {
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + i);
            FloatVector t = x.sub(FloatVector.fromArray(SPECIES, p0, o0 + i));
            a0 = t.fma(t, a0);
            t = x.sub(FloatVector.fromArray(SPECIES, p1, o1 + i));
            a1 = t.fma(t, a1);
            t = x.sub(FloatVector.fromArray(SPECIES, p2, o2 + i));
            a2 = t.fma(t, a2);
            t = x.sub(FloatVector.fromArray(SPECIES, p3, o3 + i));
            a3 = t.fma(t, a3);
            t = x.sub(FloatVector.fromArray(SPECIES, p4, o4 + i));
            a4 = t.fma(t, a4);
            t = x.sub(FloatVector.fromArray(SPECIES, p5, o5 + i));
            a5 = t.fma(t, a5);
            t = x.sub(FloatVector.fromArray(SPECIES, p6, o6 + i));
            a6 = t.fma(t, a6);
            t = x.sub(FloatVector.fromArray(SPECIES, p7, o7 + i));
            a7 = t.fma(t, a7);
        }
        if (i < dim && dim >= LANES) {
            int s = dim - LANES;
            VectorMask<Float> fresh = summed(i, s).not();
            FloatVector x = FloatVector.fromArray(SPECIES, q, qOff + s);
            FloatVector t = x.sub(FloatVector.fromArray(SPECIES, p0, o0 + s));
            a0 = a0.add(t.mul(t), fresh);
            t = x.sub(FloatVector.fromArray(SPECIES, p1, o1 + s));
            a1 = a1.add(t.mul(t), fresh);
            t = x.sub(FloatVector.fromArray(SPECIES, p2, o2 + s));
            a2 = a2.add(t.mul(t), fresh);
            t = x.sub(FloatVector.fromArray(SPECIES, p3, o3 + s));
            a3 = a3.add(t.mul(t), fresh);
            t = x.sub(FloatVector.fromArray(SPECIES, p4, o4 + s));
            a4 = a4.add(t.mul(t), fresh);
            t = x.sub(FloatVector.fromArray(SPECIES, p5, o5 + s));
            a5 = a5.add(t.mul(t), fresh);
            t = x.sub(FloatVector.fromArray(SPECIES, p6, o6 + s));
            a6 = a6.add(t.mul(t), fresh);
            t = x.sub(FloatVector.fromArray(SPECIES, p7, o7 + s));
            a7 = a7.add(t.mul(t), fresh);
            i = dim;
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        float s4 = a4.reduceLanes(VectorOperators.ADD), s5 = a5.reduceLanes(VectorOperators.ADD);
        float s6 = a6.reduceLanes(VectorOperators.ADD), s7 = a7.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qOff + i];
            float t = x - p0[o0 + i];
            s0 += t * t;
            t = x - p1[o1 + i];
            s1 += t * t;
            t = x - p2[o2 + i];
            s2 += t * t;
            t = x - p3[o3 + i];
            s3 += t * t;
            t = x - p4[o4 + i];
            s4 += t * t;
            t = x - p5[o5 + i];
            s5 += t * t;
            t = x - p6[o6 + i];
            s6 += t * t;
            t = x - p7[o7 + i];
            s7 += t * t;
        }
        out[outOff] = s0;
        out[outOff + 1] = s1;
        out[outOff + 2] = s2;
        out[outOff + 3] = s3;
        out[outOff + 4] = s4;
        out[outOff + 5] = s5;
        out[outOff + 6] = s6;
        out[outOff + 7] = s7;
    }

    @Override
    public int nonzeroBlocks(float[] v, int off, int dim, int[] blocks) {
        int count = 0;
        for (int s = 0; s < dim; s += BLOCK) {
            boolean nonzero = false;
            for (int i = s; i < s + BLOCK; i += BLOCK_LANES) {
                nonzero |= FloatVector.fromArray(BLOCK_SPECIES, v, off + i).compare(VectorOperators.NE, 0f).anyTrue();
            }
            if (nonzero) {
                blocks[count++] = s;
            }
        }
        return count;
    }

    @Override
    public float dotBlocks(float[] q, int qOff, int[] blocks, int count, float[] x, int xOff) {
        FloatVector a = FloatVector.zero(BLOCK_SPECIES);
        for (int b = 0; b < count; b++) {
            int s = blocks[b];
            for (int i = s; i < s + BLOCK; i += BLOCK_LANES) {
                a = FloatVector.fromArray(BLOCK_SPECIES, q, qOff + i).fma(FloatVector.fromArray(BLOCK_SPECIES, x, xOff + i), a);
            }
        }
        return a.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void dotBlocks8(float[] q, int qOff, int[] blocks, int count, float[][] pages, int[] offsets, float[] out,
                           int outOff) {
        float[] p0 = pages[0], p1 = pages[1], p2 = pages[2], p3 = pages[3];
        float[] p4 = pages[4], p5 = pages[5], p6 = pages[6], p7 = pages[7];
        int o0 = offsets[0], o1 = offsets[1], o2 = offsets[2], o3 = offsets[3];
        int o4 = offsets[4], o5 = offsets[5], o6 = offsets[6], o7 = offsets[7];
        FloatVector a0 = FloatVector.zero(BLOCK_SPECIES);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int b = 0; b < count; b++) {
            int s = blocks[b];
            for (int i = s; i < s + BLOCK; i += BLOCK_LANES) {
                FloatVector x = FloatVector.fromArray(BLOCK_SPECIES, q, qOff + i);
                a0 = x.fma(FloatVector.fromArray(BLOCK_SPECIES, p0, o0 + i), a0);
                a1 = x.fma(FloatVector.fromArray(BLOCK_SPECIES, p1, o1 + i), a1);
                a2 = x.fma(FloatVector.fromArray(BLOCK_SPECIES, p2, o2 + i), a2);
                a3 = x.fma(FloatVector.fromArray(BLOCK_SPECIES, p3, o3 + i), a3);
                a4 = x.fma(FloatVector.fromArray(BLOCK_SPECIES, p4, o4 + i), a4);
                a5 = x.fma(FloatVector.fromArray(BLOCK_SPECIES, p5, o5 + i), a5);
                a6 = x.fma(FloatVector.fromArray(BLOCK_SPECIES, p6, o6 + i), a6);
                a7 = x.fma(FloatVector.fromArray(BLOCK_SPECIES, p7, o7 + i), a7);
            }
        }
        out[outOff] = a0.reduceLanes(VectorOperators.ADD);
        out[outOff + 1] = a1.reduceLanes(VectorOperators.ADD);
        out[outOff + 2] = a2.reduceLanes(VectorOperators.ADD);
        out[outOff + 3] = a3.reduceLanes(VectorOperators.ADD);
        out[outOff + 4] = a4.reduceLanes(VectorOperators.ADD);
        out[outOff + 5] = a5.reduceLanes(VectorOperators.ADD);
        out[outOff + 6] = a6.reduceLanes(VectorOperators.ADD);
        out[outOff + 7] = a7.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public int dotBytes(byte[] a, int aOff, byte[] b, int bOff, int dim) {
        int i = 0;
        int sum = 0;
        if (dim >= 2 * BYTE_LANES) {
            IntVector acc1 = IntVector.zero(INTS);
            IntVector acc2 = IntVector.zero(INTS);
            for (int bound = dim - dim % (2 * BYTE_LANES); i < bound; i += 2 * BYTE_LANES) {
                acc1 = acc1.add(widen(a, aOff + i).mul(widen(b, bOff + i)));
                acc2 = acc2.add(widen(a, aOff + i + BYTE_LANES).mul(widen(b, bOff + i + BYTE_LANES)));
            }
            sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        }
        for (; i < dim; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public int squareDistanceBytes(byte[] a, int aOff, byte[] b, int bOff, int dim) {
        int i = 0;
        int sum = 0;
        if (dim >= 2 * BYTE_LANES) {
            IntVector acc1 = IntVector.zero(INTS);
            IntVector acc2 = IntVector.zero(INTS);
            for (int bound = dim - dim % (2 * BYTE_LANES); i < bound; i += 2 * BYTE_LANES) {
                IntVector d1 = widen(a, aOff + i).sub(widen(b, bOff + i));
                IntVector d2 = widen(a, aOff + i + BYTE_LANES).sub(widen(b, bOff + i + BYTE_LANES));
                acc1 = acc1.add(d1.mul(d1));
                acc2 = acc2.add(d2.mul(d2));
            }
            sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        }
        for (; i < dim; i++) {
            int d = a[aOff + i] - b[bOff + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dotBytes4(byte[] q, int qOff, byte[][] pages, int[] offsets, int dim, int[] out) {
        IntVector s0 = IntVector.zero(INTS);
        IntVector s1 = IntVector.zero(INTS);
        IntVector s2 = IntVector.zero(INTS);
        IntVector s3 = IntVector.zero(INTS);
        int i = 0;
        for (int bound = dim - dim % BYTE_LANES; i < bound; i += BYTE_LANES) {
            IntVector qi = widen(q, qOff + i);
            s0 = s0.add(qi.mul(widen(pages[0], offsets[0] + i)));
            s1 = s1.add(qi.mul(widen(pages[1], offsets[1] + i)));
            s2 = s2.add(qi.mul(widen(pages[2], offsets[2] + i)));
            s3 = s3.add(qi.mul(widen(pages[3], offsets[3] + i)));
        }
        reduceInto(out, s0, s1, s2, s3);
        for (int j = 0; j < 4 && i < dim; j++) {
            out[j] += ScalarKernels.INSTANCE.dotBytes(q, qOff + i, pages[j], offsets[j] + i, dim - i);
        }
    }

    @Override
    public void squareDistanceBytes4(byte[] q, int qOff, byte[][] pages, int[] offsets, int dim, int[] out) {
        IntVector s0 = IntVector.zero(INTS);
        IntVector s1 = IntVector.zero(INTS);
        IntVector s2 = IntVector.zero(INTS);
        IntVector s3 = IntVector.zero(INTS);
        int i = 0;
        for (int bound = dim - dim % BYTE_LANES; i < bound; i += BYTE_LANES) {
            IntVector qi = widen(q, qOff + i);
            IntVector d0 = qi.sub(widen(pages[0], offsets[0] + i));
            IntVector d1 = qi.sub(widen(pages[1], offsets[1] + i));
            IntVector d2 = qi.sub(widen(pages[2], offsets[2] + i));
            IntVector d3 = qi.sub(widen(pages[3], offsets[3] + i));
            s0 = s0.add(d0.mul(d0));
            s1 = s1.add(d1.mul(d1));
            s2 = s2.add(d2.mul(d2));
            s3 = s3.add(d3.mul(d3));
        }
        reduceInto(out, s0, s1, s2, s3);
        for (int j = 0; j < 4 && i < dim; j++) {
            out[j] += ScalarKernels.INSTANCE.squareDistanceBytes(q, qOff + i, pages[j], offsets[j] + i, dim - i);
        }
    }

    /** The four sums' lanes added up, into {@code out[0..4)}. */
    private static void reduceInto(int[] out, IntVector s0, IntVector s1, IntVector s2, IntVector s3) {
        out[0] = s0.reduceLanes(VectorOperators.ADD);
        out[1] = s1.reduceLanes(VectorOperators.ADD);
        out[2] = s2.reduceLanes(VectorOperators.ADD);
        out[3] = s3.reduceLanes(VectorOperators.ADD);
    }

    /** {@link #BYTE_LANES} int8 values at {@code codes[off..)} widened to ints. */
    private static IntVector widen(byte[] codes, int off) {
        return (IntVector) ByteVector.fromArray(BYTES, codes, off).convertShape(VectorOperators.B2I, INTS, 0);
    }

    /**
     * A step converts floats to ints and back (a value with a fraction comes back different),
     * compares with the range, and narrows the levels to bytes: a 784-d vector in about 0.25 µs
     * against the scalar loop's 1.1 µs in a scratch probe.
     */
    @Override
    public int wholeNumberCode(float[] v, int dim, float lo, byte[] out) {
        float hi = lo + 255;
        int shift = (int) lo + 128;
        IntVector sums = IntVector.zero(INTS);
        VectorMask<Float> outside = FLOATS_AS_INTS.maskAll(false);
        int bound = FLOATS_AS_INTS.loopBound(dim);
        int i = 0;
        for (; i < bound; i += FLOATS_AS_INTS.length()) {
            FloatVector x = FloatVector.fromArray(FLOATS_AS_INTS, v, i);
            IntVector level = (IntVector) x.convertShape(VectorOperators.F2I, INTS, 0);
            FloatVector back = (FloatVector) level.convertShape(VectorOperators.I2F, FLOATS_AS_INTS, 0);
            outside = outside.or(back.compare(VectorOperators.NE, x))
                    .or(x.compare(VectorOperators.LT, lo))
                    .or(x.compare(VectorOperators.GT, hi));
            IntVector s = level.sub(shift);
            sums = sums.add(s);
            ((ByteVector) s.convertShape(VectorOperators.I2B, BYTES, 0)).intoArray(out, i);
        }
        int sum = ScalarKernels.wholeNumberCode(v, i, dim, lo, out, sums.reduceLanes(VectorOperators.ADD));
        return outside.anyTrue() ? NOT_WHOLE : sum;
    }

    /**
     * Clamps {@code (x - lo) * inv} to [0, 255] before rounding (equal to clamping the rounded
     * level), then rounds half up exactly as {@link Math#round(float)}: the whole part by
     * conversion (truncation, the floor of a value not below 0) plus one where the fraction left,
     * computed without rounding error below 2²³, is at least one half. A 784-d query in about
     * 0.25 µs against the scalar loop's 2.0 µs in a scratch probe (1536-d: 0.47 against 3.8).
     */
    @Override
    public int int8Code(float[] v, int dim, float lo, float inv, byte[] out, int outOff) {
        IntVector sums = IntVector.zero(INTS);
        int bound = FLOATS_AS_INTS.loopBound(dim);
        int i = 0;
        for (; i < bound; i += FLOATS_AS_INTS.length()) {
            FloatVector y = FloatVector.fromArray(FLOATS_AS_INTS, v, i).sub(lo).mul(inv).max(0f).min(255f);
            IntVector whole = (IntVector) y.convertShape(VectorOperators.F2I, INTS, 0);
            FloatVector fraction = y.sub((FloatVector) whole.convertShape(VectorOperators.I2F, FLOATS_AS_INTS, 0));
            VectorMask<Integer> up = fraction.compare(VectorOperators.GE, 0.5f).cast(INTS);
            IntVector s = whole.add(1, up).sub(128);
            sums = sums.add(s);
            ((ByteVector) s.convertShape(VectorOperators.I2B, BYTES, 0)).intoArray(out, outOff + i);
        }
        return ScalarKernels.int8Code(v, i, dim, lo, inv, out, outOff, sums.reduceLanes(VectorOperators.ADD));
    }
}
