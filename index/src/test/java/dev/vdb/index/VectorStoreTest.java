package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages are sized by bytes: a full page fills one G1 region with its header (issue 14 item 3
 * capped them at 4 MiB; at dimension 65,536 a page of 4,096 vectors was 1 GiB; pages of an exact
 * number of MiB took one more region for their 16-byte header); small collections stay small
 * (issue 20): the first page starts at 16 vectors and doubles; an ordinal's page, found by a
 * multiplication and a shift, is its exact quotient; and vectors on every page, through the first
 * page's growth and across page boundaries, read back exactly.
 */
class VectorStoreTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 256, 257, 384, 768, 784, 1536, 4096, 65_536})
    void theFirstVectorTakesASmallPageAndAFullPageFillsARegion(int dimension) {
        VectorStore store = new VectorStore(dimension);
        assertEquals(0, store.memoryBytes());
        store.set(0, new float[dimension]);
        long firstVectors = Math.min(VectorStore.FIRST_PAGE_VECTORS, store.pageVectors());
        assertEquals(firstVectors * dimension * Float.BYTES, store.memoryBytes(), "one vector takes the smallest first page");
        store.set(store.pageVectors(), new float[dimension]); // the first page full, a second one
        long rowBytes = (long) dimension * Float.BYTES;
        for (int page : new int[] {0, store.pageVectors()}) {
            long objectBytes = 16 + (long) store.page(page).length * Float.BYTES; // the array header is at most 16 bytes
            assertEquals((long) store.pageVectors() * rowBytes, (store.page(page).length - VectorStore.LEAD) * (long) Float.BYTES);
            if (rowBytes + 64 <= VectorStore.PAGE_BYTES) {
                assertTrue(objectBytes <= VectorStore.PAGE_BYTES, "dimension " + dimension + ": a page of " + objectBytes
                        + " bytes, more than " + VectorStore.PAGE_BYTES);
                assertTrue(objectBytes > VectorStore.PAGE_BYTES - rowBytes - 64, "dimension " + dimension + ": a page of "
                        + objectBytes + " bytes leaves room for another vector in " + VectorStore.PAGE_BYTES);
            } else {
                assertEquals(1, store.pageVectors(), "a vector larger than a page is a page");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 100, 768, 784, 1536, 65_536})
    void anOrdinalsPageIsItsExactQuotient(int dimension) {
        VectorStore store = new VectorStore(dimension);
        int perPage = store.pageVectors();
        SplittableRandom random = new SplittableRandom(dimension);
        int[] edges = {0, 1, perPage - 1, perPage, perPage + 1, Integer.MAX_VALUE, Integer.MAX_VALUE - 1,
                Integer.MAX_VALUE / perPage * perPage, Integer.MAX_VALUE / perPage * perPage - 1};
        for (int ordinal : edges) {
            assertEquals(ordinal / perPage, store.pageOf(ordinal), "ordinal " + ordinal);
        }
        for (int i = 0; i < 1_000_000; i++) {
            int ordinal = random.nextInt(Integer.MAX_VALUE);
            assertEquals(ordinal / perPage, store.pageOf(ordinal), "ordinal " + ordinal);
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

    /** A page that starts on a 64-byte boundary (G1 places a humongous page at a region's start) starts its rows on one. */
    @Test
    void rowsStartOnACacheLineWhenThePageDoes() {
        long firstRow = org.agrona.UnsafeApi.arrayBaseOffset(float[].class) + (long) VectorStore.LEAD * Float.BYTES;
        assertEquals(0, firstRow % 64, "the lead puts row 0 at byte " + firstRow + " of the page object");
        VectorStore store = new VectorStore(784);
        store.set(store.pageVectors() + 5, new float[784]);
        for (int ordinal : new int[] {0, 1, 5, store.pageVectors() + 5}) {
            assertEquals(0, (firstRow + (long) (store.offset(ordinal) - VectorStore.LEAD) * Float.BYTES) % 64, "ordinal " + ordinal);
        }
    }

    @Test
    void everyVectorSurvivesTheFirstPageGrowingAndLaterPages() {
        int dimension = 3;
        VectorStore store = new VectorStore(dimension);
        SplittableRandom random = new SplittableRandom(7);
        int count = store.pageVectors() + 100;
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
        assertEquals(2L * store.pageVectors() * dimension * Float.BYTES, store.memoryBytes());
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
        assertTrue(store.memoryBytes() < (long) store.pageVectors() * 2 * Float.BYTES);
    }

    @Test
    void aEuclideanStoreKeepsEachVectorsSquaredNormAcrossPagesAtADimensionOfWholeBlocks() {
        int dimension = 2 * DistanceKernels.BLOCK;
        VectorStore store = VectorStore.scoredWith(dimension, VectorSimilarity.EUCLID);
        assertTrue(store.keepsNorms());
        assertFalse(VectorStore.scoredWith(dimension + 1, VectorSimilarity.EUCLID).keepsNorms());
        assertFalse(VectorStore.scoredWith(dimension, VectorSimilarity.COSINE).keepsNorms());
        assertFalse(new VectorStore(dimension).keepsNorms());
        SplittableRandom random = new SplittableRandom(5);
        int n = store.pageVectors() + 40; // the first page grows by copies, then a second page
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                vectors[i][d] = (float) random.nextGaussian();
            }
            store.set(i, vectors[i]);
        }
        assertEquals((long) store.pageVectors() * 2 * (dimension + 1) * Float.BYTES, store.memoryBytes(),
                "two full pages of vectors, each with its norm");
        for (int i = 0; i < n; i++) {
            double expected = 0;
            for (float x : vectors[i]) {
                expected += (double) x * x;
            }
            assertEquals(expected, store.squaredNorm(i), 1e-5 * expected, "ordinal " + i);
        }
    }
}
