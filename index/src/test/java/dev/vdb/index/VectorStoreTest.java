package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages are sized by bytes (issue 14, item 3): the first vector of any dimension allocates at most
 * 4 MiB (at dimension 65,536 a page of 4,096 vectors was 1 GiB), and vectors on every page, across
 * page boundaries, read back exactly.
 */
class VectorStoreTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 256, 257, 768, 1536, 4096, 65_536})
    void theFirstVectorAllocatesOnePageOfAtMostFourMiB(int dimension) {
        VectorStore store = new VectorStore(dimension);
        assertEquals(0, store.memoryBytes());
        store.set(0, new float[dimension]);
        long pageBytes = (long) store.page(0).length * Float.BYTES;
        assertTrue(pageBytes <= 4L << 20, "dimension " + dimension + ": a page of " + pageBytes + " bytes");
        assertEquals(pageBytes, store.memoryBytes());
        assertEquals((long) store.pageVectors() * dimension * Float.BYTES, pageBytes);
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
}
