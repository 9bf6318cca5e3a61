package dev.vdb.index.hnsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeInserter#insertionSortBestFirst} against {@link Arrays#sort} reversed, on sub-ranges
 * of random arrays: nearly sorted ones (a list with a newcomer, as a link back sorts them), ones
 * in any order, and ones with many equal values; what lies outside the range stays.
 */
class InsertionSortTest {

    @Test
    void sortsARangeDescendingAsArraysSortDoesAndLeavesTheRestAlone() {
        Random random = new Random(11);
        for (int round = 0; round < 5_000; round++) {
            int length = 1 + random.nextInt(40);
            long[] values = new long[length];
            int kind = round % 3;
            for (int i = 0; i < length; i++) {
                values[i] = switch (kind) {
                    case 0 -> -i * 10L + random.nextInt(25); // nearly descending
                    case 1 -> random.nextLong();
                    default -> random.nextInt(4) - 2; // many equal values, some negative
                };
            }
            int from = random.nextInt(length);
            int to = from + random.nextInt(length - from + 1);
            long[] expected = values.clone();
            Arrays.sort(expected, from, to);
            for (int i = from, j = to - 1; i < j; i++, j--) {
                long swap = expected[i];
                expected[i] = expected[j];
                expected[j] = swap;
            }
            long[] sorted = values.clone();
            NodeInserter.insertionSortBestFirst(sorted, from, to);
            assertArrayEquals(expected, sorted, "round " + round + ": " + Arrays.toString(values) + " [" + from + ", " + to + ")");
        }
    }
}
