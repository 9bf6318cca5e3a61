package dev.vdb.index.text;

/**
 * Lucene's one-byte document-length encoding ({@code SmallFloat.intToByte4}): lengths below 24
 * are exact, longer ones keep their top four significant bits, so a length decodes to at most
 * itself and at least about 7/8 of itself. BM25 uses the decoded length, as Lucene's
 * BM25Similarity does, so scores equal Lucene's (see docs/TEXT.md).
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class LengthNorm {

    /** Byte values below this encode the length itself. */
    private static final int EXACT_BELOW = 255 - encodeMantissaExponent(Integer.MAX_VALUE);

    private static final int[] DECODED = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            DECODED[i] = i < EXACT_BELOW ? i : EXACT_BELOW + (int) decodeMantissaExponent(i - EXACT_BELOW);
        }
    }

    private LengthNorm() {}

    /**
     * The byte for a document of {@code length} terms.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    public static byte encode(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length: must be >= 0, got " + length);
        }
        if (length < EXACT_BELOW) {
            return (byte) length;
        }
        return (byte) (EXACT_BELOW + encodeMantissaExponent(length - EXACT_BELOW));
    }

    /** The length a byte stands for (a lower bound of the encoded length). */
    public static int decode(byte norm) {
        return DECODED[norm & 0xFF];
    }

    /** Three mantissa bits after the implicit leading one, and the shift plus one above them. */
    private static int encodeMantissaExponent(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value);
        if (bits < 4) {
            return (int) value;
        }
        int shift = bits - 4;
        return ((int) (value >>> shift) & 0x07) | ((shift + 1) << 3);
    }

    private static long decodeMantissaExponent(int code) {
        long mantissa = code & 0x07;
        int shift = (code >>> 3) - 1;
        return shift == -1 ? mantissa : (mantissa | 0x08) << shift;
    }
}
