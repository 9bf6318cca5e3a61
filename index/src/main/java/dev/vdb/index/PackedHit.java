package dev.vdb.index;

/**
 * A hit, a score and an ordinal, packed into one {@code long} whose natural order is the order
 * of hits: the score's bits, flipped into an order-preserving int, fill the high half, and the
 * ordinal, counted down from {@link Integer#MAX_VALUE}, the low half. So a larger long is a
 * better hit, and on equal scores the smaller ordinal ranks first. Every heap of hits (the graph
 * search's queues, {@link TopK}, the text searchers) uses this one encoding; a max-heap is a
 * min-heap over bitwise-negated values.
 *
 * <p>Ordinals must not be negative. Stateless.
 */
public final class PackedHit {

    private PackedHit() {}

    public static long pack(float score, int ordinal) {
        return ((long) orderedBits(score) << 32) | (Integer.MAX_VALUE - ordinal);
    }

    /** The score's bits flipped into an int whose signed order is the scores' order. */
    public static int orderedBits(float score) {
        int bits = Float.floatToRawIntBits(score);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    public static float score(long packed) {
        int bits = (int) (packed >> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }

    public static int ordinal(long packed) {
        return Integer.MAX_VALUE - (int) packed;
    }
}
