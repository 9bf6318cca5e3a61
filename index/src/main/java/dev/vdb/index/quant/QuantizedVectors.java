package dev.vdb.index.quant;

import dev.vdb.index.GraphVectors;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The codes a quantized collection's graph walks, by dense ordinal: pages of codes
 * ({@code byte[]}, at most {@value #MAX_PAGE_CODES} codes and {@value #MAX_PAGE_BYTES} bytes
 * each) and their correction floats ({@code float[]}), never an object per vector. A page stays
 * below half of G1's smallest region (1 MiB): a larger array is a humongous object, which takes
 * whole regions and wastes the rest of the last one (a 3 MiB page of 4,096 768-byte codes took
 * 4 MiB). {@link #set} encodes a prepared float vector with the
 * {@link Quantizer}; the float vector itself is not kept here.
 *
 * <p>Thread safety: {@link #set} may run concurrently with reads and with sets of other
 * ordinals; growth takes a lock and publishes new page tables through volatile fields. A reader
 * learns of an ordinal through a happens-before edge (the graph publishing its node). Reads
 * allocate nothing.
 */
public final class QuantizedVectors implements GraphVectors {

    static final int MAX_PAGE_BYTES = 1 << 18;
    /** Most codes a page holds, however small they are (page slack of a small collection). */
    static final int MAX_PAGE_CODES = 1 << 12;

    private final int pageShift;
    private final int pageMask;

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
        // the most codes, a power of two up to MAX_PAGE_CODES, that fit MAX_PAGE_BYTES (at least one)
        this.pageShift = 31 - Integer.numberOfLeadingZeros(Math.clamp(MAX_PAGE_BYTES / codeBytes, 1, MAX_PAGE_CODES));
        this.pageMask = (1 << pageShift) - 1;
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
        int page = ordinal >>> pageShift;
        quantizer.encode(vector, codePages[page], codeOffset(ordinal), corrPages[page], (ordinal & pageMask) * corrections);
        grownTo(ordinal);
    }

    /**
     * Stores a code made by the caller ({@link Quantizer#codeBytes} bytes of {@code code}, and
     * {@link Quantizer#corrections} of {@code corr}) as the code of {@code ordinal}, as {@link #set}
     * stores the code it encodes.
     */
    void setCode(int ordinal, byte[] code, float[] corr) {
        reserve(ordinal + 1);
        int page = ordinal >>> pageShift;
        System.arraycopy(code, 0, codePages[page], codeOffset(ordinal), codeBytes);
        System.arraycopy(corr, 0, corrPages[page], (ordinal & pageMask) * corrections, corrections);
        grownTo(ordinal);
    }

    /** Counts {@code ordinal} among the codes set. */
    private void grownTo(int ordinal) {
        if (ordinal >= size) {
            synchronized (growLock) {
                if (ordinal >= size) {
                    size = ordinal + 1;
                }
            }
        }
    }

    /** Bytes of one saved code ({@link #copyOut}): the code, then its correction floats. */
    public int recordBytes() {
        return codeBytes + corrections * Float.BYTES;
    }

    /** Puts {@code ordinal}'s code and corrections into {@code out}, {@link #recordBytes} of them. */
    public void copyOut(int ordinal, ByteBuffer out) {
        int page = ordinal >>> pageShift;
        out.put(codePages[page], codeOffset(ordinal), codeBytes);
        float[] corr = corrPages[page];
        for (int i = 0, at = (ordinal & pageMask) * corrections; i < corrections; i++) {
            out.putFloat(corr[at + i]);
        }
    }

    /**
     * Makes what {@link #copyOut} put into a buffer, read from {@code in}, the code of
     * {@code ordinal}: a saved code taken back as it was, not encoded again. As {@link #set} for
     * thread safety.
     */
    public void copyIn(int ordinal, ByteBuffer in) {
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be non-negative, got " + ordinal);
        }
        reserve(ordinal + 1);
        int page = ordinal >>> pageShift;
        in.get(codePages[page], codeOffset(ordinal), codeBytes);
        float[] corr = corrPages[page];
        for (int i = 0, at = (ordinal & pageMask) * corrections; i < corrections; i++) {
            corr[at + i] = in.getFloat();
        }
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
        int needed = (int) (((long) vectors + pageMask) >>> pageShift);
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
                grownCodes[p] = new byte[(pageMask + 1) * codeBytes];
                grownCorr[p] = new float[(pageMask + 1) * corrections];
            }
            corrPages = grownCorr; // before the codes: a reader that sees a code page sees its corrections
            codePages = grownCodes;
        }
    }

    /** The page holding {@code ordinal}'s code. */
    byte[] codePage(int ordinal) {
        return codePages[ordinal >>> pageShift];
    }

    /** Where {@code ordinal}'s code starts in {@link #codePage}. */
    int codeOffset(int ordinal) {
        return (ordinal & pageMask) * codeBytes;
    }

    /** Correction {@code i} of {@code ordinal}'s code. */
    float correction(int ordinal, int i) {
        return corrPages[ordinal >>> pageShift][(ordinal & pageMask) * corrections + i];
    }

    @Override
    public NodeScorer newScorer(VectorSimilarity similarity) {
        return quantizer.newScorer(this, similarity);
    }

    @Override
    public long heapBytes() {
        return (long) codePages.length * (pageMask + 1) * (codeBytes + (long) corrections * Float.BYTES);
    }
}
