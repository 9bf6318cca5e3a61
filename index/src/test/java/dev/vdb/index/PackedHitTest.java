package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedHitTest {

    private record Hit(float score, int ordinal) {}

    /** The order every heap relies on: higher score first (as Float.compare), then the smaller ordinal. */
    private static final Comparator<Hit> BEST_FIRST = Comparator.comparing(Hit::score, Float::compare)
            .reversed().thenComparingInt(Hit::ordinal);

    @Test
    void packedLongsSortLikeHitsAndDecodeExactly() {
        Random random = new Random(7);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f};
        int n = 5_000;
        Hit[] hits = new Hit[n];
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            float score = i < special.length ? special[i] : (random.nextInt(50) - 25) / 8f; // many ties
            int ordinal = i % 3 == 0 ? random.nextInt(Integer.MAX_VALUE) : random.nextInt(64);
            hits[i] = new Hit(score, ordinal);
            packed[i] = PackedHit.pack(score, ordinal);
            assertEquals(Float.floatToRawIntBits(score), Float.floatToRawIntBits(PackedHit.score(packed[i])));
            assertEquals(ordinal, PackedHit.ordinal(packed[i]));
        }
        Arrays.sort(hits, BEST_FIRST);
        Arrays.sort(packed);
        for (int i = 0; i < n; i++) {
            long best = packed[n - 1 - i];
            assertEquals(hits[i], new Hit(PackedHit.score(best), PackedHit.ordinal(best)), "rank " + i);
        }
    }
}
