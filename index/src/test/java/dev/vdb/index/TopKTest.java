package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {

    @Test
    void keepsTheBestKAgainstAFullSortAcrossResets() {
        Random random = new Random(11);
        TopK top = new TopK(1);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(500);
            int k = 1 + random.nextInt(40);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(30) - 10 + (random.nextBoolean() ? 0.5f : 0f); // ties
            }
            top.reset(k);
            for (int i = 0; i < n; i++) {
                top.offer(scores[i], i);
            }
            int[] expected = IntStream.range(0, n).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> scores[i]).reversed()
                            .thenComparing(Comparator.naturalOrder()))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            assertEquals(expected.length == k, top.isFull());
            if (top.isFull()) {
                assertEquals(scores[expected[k - 1]], top.worstScore());
            }
            int[] ordinals = new int[k];
            float[] kept = new float[k];
            int count = top.drainBestFirst(ordinals, kept);
            assertArrayEquals(expected, Arrays.copyOf(ordinals, count), "round " + round);
            for (int i = 0; i < count; i++) {
                assertEquals(scores[ordinals[i]], kept[i]);
            }
            assertEquals(0, top.size());
        }
    }

    @Test
    void refusesANonPositiveK() {
        assertThrows(IllegalArgumentException.class, () -> new TopK(0));
        assertThrows(IllegalArgumentException.class, () -> new TopK(1).reset(-1));
    }
}
