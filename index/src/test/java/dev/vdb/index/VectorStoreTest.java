package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages are sized by bytes (issue 14, item 3): no page of any dimension exceeds 4 MiB (at
 * dimension 65,536 a page of 4,096 vectors was 1 GiB); small collections stay small (issue 20):
 * the first page starts at 16 vectors and doubles; and vectors on every page, through the first
 * page's growth and across page boundaries, read back exactly.
 */
class VectorStoreTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 256, 257, 768, 1536, 4096, 65_536})
    void theFirstVectorTakesASmallPageAndNoPageExceedsFourMiB(int dimension) {
        VectorStore store = new VectorStore(dimension);
        assertEquals(0, store.memoryBytes());
        store.set(0, new float[dimension]);
        long firstVectors = Math.min(VectorStore.FIRST_PAGE_VECTORS, store.pageVectors());
        assertEquals(firstVectors * dimension * Float.BYTES, store.memoryBytes(), "one vector takes the smallest first page");
        store.set(store.pageVectors(), new float[dimension]); // the first page full, a second one
        for (int page : new int[] {0, store.pageVectors()}) {
            long pageBytes = (long) store.page(page).length * Float.BYTES;
            assertTrue(pageBytes <= 4L << 20, "dimension " + dimension + ": a page of " + pageBytes + " bytes");
            assertEquals((long) store.pageVectors() * dimension * Float.BYTES, pageBytes);
        }
        long pageBytes = (long) store.pageVectors() * dimension * Float.BYTES;
        if (dimension <= 256) {
            assertEquals(VectorStore.PAGE_VECTORS, store.pageVectors(), "small dimensions keep 4,096 vectors a page");
        } else {
            assertTrue(pageBytes > 2L << 20, "a page is not smaller than it need be: " + pageBytes + " bytes");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 1536, 65_536})
    void vectorsOnEveryPageReadBackExactly(int dimension) {
        VectorStore store = new VectorStore(dimension);
        int n = 2 * store.pageVectors() + 3;
        SplittableRandom random = new SplittableRandom(dimension);
        float[][] vectors = new float[n][dimension];
        for (int i = n - 1; i >= 0; i--) { // backwards: the first set allocates every page below it
            for (int j = 0; j < dimension; j++) {
                vectors[i][j] = (float) random.nextDouble(-1, 1);
            }
            store.set(i, vectors[i]);
        }
        assertEquals(n, store.size());
        assertEquals(3L * store.pageVectors() * dimension * Float.BYTES, store.memoryBytes());
        for (int i = 0; i < n; i++) {
            assertArrayEquals(vectors[i], store.get(i), "ordinal " + i);
            float expected = 0;
            for (int j = 0; j < dimension; j++) {
                expected += vectors[i][j] * vectors[i][j];
            }
            assertEquals(expected, store.score(VectorSimilarity.DOT, vectors[i], i), Math.abs(expected) * 1e-4f);
        }
    }

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
