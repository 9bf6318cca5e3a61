package dev.vdb.index.hnsw;

/**
 * Score and ordinal packed into one {@code long} whose natural order is the order of the
 * scores (ties broken by ordinal): the float's bits, flipped into a sortable int, fill the
 * high half and the ordinal the low half. Stateless.
 */
final class Packed {

    private Packed() {}

    static long pack(float score, int ordinal) {
        int bits = Float.floatToRawIntBits(score);
        bits ^= (bits >> 31) & 0x7fffffff;
        return ((long) bits << 32) | (ordinal & 0xffffffffL);
    }

    static float score(long packed) {
        int bits = (int) (packed >> 32);
        bits ^= (bits >> 31) & 0x7fffffff;
        return Float.intBitsToFloat(bits);
    }

    static int ordinal(long packed) {
        return (int) packed;
    }
}
