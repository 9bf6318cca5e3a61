package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector store keeps every vector through the first page's growth and the pages after it. */
class VectorStoreTest {

    @Test
    void everyVectorSurvivesTheFirstPageGrowingAndLaterPages() {
        int dimension = 3;
        VectorStore store = new VectorStore(dimension);
        SplittableRandom random = new SplittableRandom(7);
        int count = VectorStore.PAGE_VECTORS + 100;
        float[][] expected = new float[count][];
        for (int i = 0; i < count; i++) {
            expected[i] = new float[] {random.nextFloat(), random.nextFloat(), i};
            store.set(i, expected[i]);
            if (i == 0) {
                assertEquals((long) VectorStore.FIRST_PAGE_VECTORS * dimension * Float.BYTES, store.memoryBytes(),
                        "one vector takes the smallest first page, not a full one");
            }
        }
        for (int i = 0; i < count; i++) {
            assertArrayEquals(expected[i], store.get(i), "vector " + i);
        }
        assertEquals(2L * VectorStore.PAGE_VECTORS * dimension * Float.BYTES, store.memoryBytes());
    }

    @Test
    void concurrentSetsWhileTheFirstPageGrowsAreAllKept() throws InterruptedException {
        VectorStore store = new VectorStore(2);
        int perThread = 900;
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int parity = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    int ordinal = 2 * i + parity;
                    store.set(ordinal, new float[] {ordinal, -ordinal});
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int ordinal = 0; ordinal < 2 * perThread; ordinal++) {
            assertArrayEquals(new float[] {ordinal, -ordinal}, store.get(ordinal), "vector " + ordinal);
        }
        assertTrue(store.memoryBytes() < (long) VectorStore.PAGE_VECTORS * 2 * Float.BYTES);
    }
}
