package dev.vdb.index.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.index.Bits;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import dev.vdb.index.hnsw.HnswSearcher;
import dev.vdb.index.hnsw.SearchResults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Whole-number vectors walked as their codes score exactly as the floats do, so the graph they
 * build and the answers they give are the float store's; a query or a stored vector that the
 * codes cannot hold exactly is scored by the floats.
 */
class WholeNumberVectorsTest {

    /** A tail past the kernels' steps; whole 16-float blocks (the float scorer's block skipping) in {@link #codesScoreExactlyAsTheFloats}. */
    private static final int DIM = 72;

    /** Whole numbers in [lo, lo + span), three quarters of them lo (background pixels). */
    private static float[] whole(SplittableRandom random, int lo, int span) {
        return whole(random, lo, span, DIM);
    }

    private static float[][] wholeVectors(SplittableRandom random, int n, int lo, int span) {
        return wholeVectors(random, n, lo, span, DIM);
    }

    private static float[][] wholeVectors(SplittableRandom random, int n, int lo, int span, int dim) {
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = whole(random, lo, span, dim);
        }
        return vectors;
    }

    private static float[] whole(SplittableRandom random, int lo, int span, int dim) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            v[d] = random.nextInt(4) == 0 ? lo + random.nextInt(span) : lo;
        }
        return v;
    }

    /** Floats and their codes, every vector set in both. */
    private record Stored(VectorStore floats, WholeNumberVectors codes) {}

    private static Stored storeOf(float[][] vectors, VectorSimilarity similarity) {
        VectorStore floats = VectorStore.scoredWith(vectors[0].length, similarity);
        WholeNumberVectors codes = WholeNumberVectors.over(floats, similarity);
        for (int i = 0; i < vectors.length; i++) {
            floats.set(i, vectors[i]);
            codes.encode(i, vectors[i]);
        }
        return new Stored(floats, codes);
    }

    /**
     * Sums below 2^24 are exact in float too, so every score is bit for bit the floats' (the full
     * byte range, unsigned and signed, single and batched, query vector and stored node).
     */
    @Test
    void codesScoreExactlyAsTheFloats() {
        for (int dim : new int[] {DIM, 80}) {
            for (VectorSimilarity similarity : new VectorSimilarity[] {VectorSimilarity.EUCLID, VectorSimilarity.DOT}) {
                for (int lo : new int[] {0, -128}) {
                    String what = similarity + " at " + dim + " from " + lo;
                    SplittableRandom random = new SplittableRandom(lo + 7);
                    float[][] vectors = wholeVectors(random, 600, lo, 256, dim);
                    Stored stored = storeOf(vectors, similarity);
                    VectorStore floats = stored.floats();
                    WholeNumberVectors codes = stored.codes();
                    assertTrue(codes.active(), what);
                    assertTrue(codes.codeHeapBytes() > 0, what);
                    NodeScorer byCodes = codes.newScorer(similarity);
                    NodeScorer byFloats = floats.newScorer(similarity);
                    int[] ids = IntStream.range(0, vectors.length).toArray();
                    for (int q = 0; q < 10; q++) {
                        float[] query = whole(random, lo, 256, dim);
                        byCodes.setQuery(query);
                        byFloats.setQuery(query);
                        assertSameScores(byCodes, byFloats, ids, what);
                        byCodes.setQueryNode(q);
                        byFloats.setQueryNode(q);
                        assertSameScores(byCodes, byFloats, ids, what + ", node " + q);
                    }
                }
            }
        }
    }

    /** The whole batch of {@code ids} scores the same by both. */
    private static void assertSameBatch(NodeScorer byCodes, NodeScorer byFloats, int[] ids, String what) {
        float[] a = new float[ids.length + 8];
        float[] b = new float[ids.length + 8];
        byCodes.scoreAll(ids, ids.length, a);
        byFloats.scoreAll(ids, ids.length, b);
        assertArrayEquals(b, a, what);
    }

    private static void assertSameScores(NodeScorer byCodes, NodeScorer byFloats, int[] ids, String what) {
        float[] a = new float[ids.length + 8];
        float[] b = new float[ids.length + 8];
        for (int n : new int[] {1, 3, 4, 5, 8, 13, ids.length}) {
            byCodes.scoreAll(ids, n, a);
            byFloats.scoreAll(ids, n, b);
            for (int i = 0; i < n; i++) {
                assertEquals(b[i], a[i], what + ", node " + ids[i] + " of a batch of " + n);
                assertEquals(b[i], byCodes.score(ids[i]), what + ", node " + ids[i]);
            }
        }
    }

    @Test
    void aQueryWithAFractionOrOutOfRangeIsScoredByTheFloats() {
        SplittableRandom random = new SplittableRandom(3);
        float[][] vectors = wholeVectors(random, 300, 0, 256);
        Stored stored = storeOf(vectors, VectorSimilarity.EUCLID);
        VectorStore floats = stored.floats();
        WholeNumberVectors codes = stored.codes();
        NodeScorer byCodes = codes.newScorer(VectorSimilarity.EUCLID);
        NodeScorer byFloats = floats.newScorer(VectorSimilarity.EUCLID);
        int[] ids = IntStream.range(0, vectors.length).toArray();
        for (float odd : new float[] {0.5f, 256f, -1f, 1e-3f}) {
            float[] query = whole(random, 0, 256);
            query[DIM - 1] = odd; // the codes would round or clip it
            byCodes.setQuery(query);
            byFloats.setQuery(query);
            assertSameBatch(byCodes, byFloats, ids, "query component " + odd);
        }
    }

    /**
     * A stored vector with a fraction retires the codes: later scores are the floats', a scorer
     * whose query was set before goes on with the floats too (the new node has no code), and
     * nothing brings them back.
     */
    @Test
    void aStoredFractionRetiresTheCodesForGood() {
        SplittableRandom random = new SplittableRandom(5);
        float[][] vectors = wholeVectors(random, 200, 0, 256);
        Stored stored = storeOf(vectors, VectorSimilarity.EUCLID);
        VectorStore floats = stored.floats();
        WholeNumberVectors whole = stored.codes();
        NodeScorer inFlight = whole.newScorer(VectorSimilarity.EUCLID);
        float[] query = whole(random, 0, 256);
        inFlight.setQuery(query);

        float[] fraction = whole(random, 0, 256);
        fraction[0] = 12.25f;
        floats.set(200, fraction);
        whole.encode(200, fraction);
        floats.set(201, vectors[0]);
        whole.encode(201, vectors[0]);
        assertFalse(whole.active());
        assertNull(whole.codes());
        assertEquals(0, whole.codeHeapBytes());

        NodeScorer byFloats = floats.newScorer(VectorSimilarity.EUCLID);
        byFloats.setQuery(query);
        int[] ids = IntStream.range(0, 202).toArray();
        assertSameBatch(inFlight, byFloats, ids, "the scorer set before the fraction arrived");
        NodeScorer later = whole.newScorer(VectorSimilarity.EUCLID);
        later.setQueryNode(200);
        byFloats.setQueryNode(200);
        assertSameBatch(later, byFloats, ids, "the stored fraction as query");
    }

    @Test
    void cosineHasNoCodes() {
        assertNull(WholeNumberVectors.over(new VectorStore(DIM), VectorSimilarity.COSINE));
    }

    /**
     * Built one thread at a time from the same seed, a graph over the codes is byte for byte the
     * graph over the floats, and it answers every query with the same ordinals and scores.
     */
    @Test
    void theGraphOverTheCodesIsTheFloatsGraph() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        float[][] vectors = wholeVectors(random, 2_000, 0, 256);
        Stored stored = storeOf(vectors, VectorSimilarity.EUCLID);
        VectorStore floats = stored.floats();
        WholeNumberVectors codes = stored.codes();
        HnswIndex overCodes = new HnswIndex(codes, VectorSimilarity.EUCLID, new HnswParams(16, 100, 42));
        HnswIndex overFloats = new HnswIndex(floats, VectorSimilarity.EUCLID, new HnswParams(16, 100, 42));
        int[] all = IntStream.range(0, vectors.length).toArray();
        overCodes.addAll(all, 1);
        overFloats.addAll(all, 1);
        assertArrayEquals(bytesOf(overFloats), bytesOf(overCodes));

        HnswSearcher a = overCodes.newSearcher();
        HnswSearcher b = overFloats.newSearcher();
        SearchResults ra = new SearchResults();
        SearchResults rb = new SearchResults();
        for (int q = 0; q < 50; q++) {
            float[] query = whole(random, 0, 256);
            int n = a.search(query, 10, 32, Bits.ALL, ra);
            assertEquals(b.search(query, 10, 32, Bits.ALL, rb), n);
            for (int i = 0; i < n; i++) {
                assertEquals(rb.ordinal(i), ra.ordinal(i), "query " + q + ", hit " + i);
                assertEquals(rb.score(i), ra.score(i), "query " + q + ", hit " + i);
            }
        }
    }

    private static byte[] bytesOf(HnswIndex index) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        index.writeTo(out);
        return out.toByteArray();
    }
}
