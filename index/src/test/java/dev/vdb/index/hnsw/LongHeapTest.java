package dev.vdb.index.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LongHeap} against a {@link PriorityQueue} over random pushes, pops and replacements. */
class LongHeapTest {

    @Test
    void answersAsAPriorityQueue() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            LongHeap heap = new LongHeap(1 + random.nextInt(16));
            PriorityQueue<Long> oracle = new PriorityQueue<>();
            // few distinct values now and then, so equal values meet in the heap
            int spread = random.nextBoolean() ? 8 : Integer.MAX_VALUE;
            for (int op = 0; op < 2_000; op++) {
                long value = random.nextInt(spread) - (long) random.nextInt(spread);
                int kind = random.nextInt(3);
                if (kind == 0 || oracle.isEmpty()) {
                    heap.push(value);
                    oracle.add(value);
                } else if (kind == 1) {
                    assertEquals(oracle.poll(), heap.pop(), "round " + round + ", pop " + op);
                } else {
                    oracle.poll();
                    oracle.add(value);
                    heap.replaceTop(value);
                }
                assertEquals(oracle.size(), heap.size());
                if (!oracle.isEmpty()) {
                    assertEquals(oracle.peek(), heap.peek(), "round " + round + ", op " + op);
                }
            }
            while (!oracle.isEmpty()) {
                assertEquals(oracle.poll(), heap.pop(), "round " + round + ", draining");
            }
        }
    }
}
