package dev.vdb.index.quant;

import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;
import java.util.Arrays;

/**
 * The codes a quantized collection's graph walks, by dense ordinal: pages of
 * {@value #PAGE_CODES} codes ({@code byte[]}) and their correction floats ({@code float[]}),
 * never an object per vector. {@link #set} encodes a prepared float vector with the
 * {@link Quantizer}; the float vector itself is not kept here.
 *
 * <p>Thread safety: {@link #set} may run concurrently with reads and with sets of other
 * ordinals; growth takes a lock and publishes new page tables through volatile fields. A reader
 * learns of an ordinal through a happens-before edge (the graph publishing its node). Reads
 * allocate nothing.
 */
public final class QuantizedVectors implements GraphVectors {

    static final int PAGE_CODES = 1 << 12;
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_MASK = PAGE_CODES - 1;

    private final Quantizer quantizer;
    private final int codeBytes;
    private final int corrections;
    private final Object growLock = new Object();
    private volatile byte[][] codePages = new byte[0][];
    private volatile float[][] corrPages = new float[0][];
    private volatile int size;

    public QuantizedVectors(Quantizer quantizer) {
        this.quantizer = quantizer;
        this.codeBytes = quantizer.codeBytes();
        this.corrections = quantizer.corrections();
    }

    public Quantizer quantizer() {
        return quantizer;
    }

    @Override
    public int dimension() {
        return quantizer.dimension();
    }

    @Override
    public int size() {
        return size;
    }

    /** Encodes the prepared {@code vector} as the code of {@code ordinal}. */
    public void set(int ordinal, float[] vector) {
        if (vector.length != dimension()) {
            throw new IllegalArgumentException("vector length must be " + dimension() + ", got " + vector.length);
        }
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be non-negative, got " + ordinal);
        }
        reserve(ordinal + 1);
        int page = ordinal >>> PAGE_SHIFT;
        quantizer.encode(vector, codePages[page], codeOffset(ordinal), corrPages[page], (ordinal & PAGE_MASK) * corrections);
        if (ordinal >= size) {
            synchronized (growLock) {
                if (ordinal >= size) {
                    size = ordinal + 1;
                }
            }
        }
    }

    /** Allocates pages for ordinals below {@code vectors}. */
    public void reserve(int vectors) {
        int needed = (vectors + PAGE_MASK) >>> PAGE_SHIFT;
        if (needed <= codePages.length) {
            return;
        }
        synchronized (growLock) {
            byte[][] codes = codePages;
            if (needed <= codes.length) {
                return;
            }
            byte[][] grownCodes = Arrays.copyOf(codes, needed);
            float[][] grownCorr = Arrays.copyOf(corrPages, needed);
            for (int p = codes.length; p < needed; p++) {
                grownCodes[p] = new byte[PAGE_CODES * codeBytes];
                grownCorr[p] = new float[PAGE_CODES * corrections];
            }
            corrPages = grownCorr; // before the codes: a reader that sees a code page sees its corrections
            codePages = grownCodes;
        }
    }

    /** The page holding {@code ordinal}'s code. */
    byte[] codePage(int ordinal) {
        return codePages[ordinal >>> PAGE_SHIFT];
    }

    /** Where {@code ordinal}'s code starts in {@link #codePage}. */
    int codeOffset(int ordinal) {
        return (ordinal & PAGE_MASK) * codeBytes;
    }

    /** Correction {@code i} of {@code ordinal}'s code. */
    float correction(int ordinal, int i) {
        return corrPages[ordinal >>> PAGE_SHIFT][(ordinal & PAGE_MASK) * corrections + i];
    }

    @Override
    public NodeScorer newScorer(VectorSimilarity similarity) {
        return quantizer.newScorer(this, similarity);
    }

    @Override
    public long heapBytes() {
        return (long) codePages.length * PAGE_CODES * (codeBytes + (long) corrections * Float.BYTES);
    }
}
