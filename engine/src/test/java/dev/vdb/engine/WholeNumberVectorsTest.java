package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import dev.vdb.testkit.data.ImageLikeGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Euclidean collection of whole-number vectors (digit images, 0..255 as floats) walks its
 * graph and scans over exact one-byte codes: against brute force in double precision (the
 * oracle), exact and filtered scans answer the true nearest and the graph keeps its recall, all
 * with the exact distances; the codes add a byte a component to the heap, a stored vector with
 * a fraction drops them for good (the answers stay right), and a reopen rebuilds them from
 * RocksDB's vectors.
 */
class WholeNumberVectorsTest {

    private static final int N = 3_000;
    private static final int K = 10;
    private static final int DIM = ImageLikeGenerator.DIMENSION;

    @TempDir
    Path dir;

    @Test
    void digitImagesAreSearchedOverTheirCodesWithTheExactDistances() {
        ImageLikeGenerator images = new ImageLikeGenerator(17);
        float[][] base = images.next(N);
        float[][] queries = images.next(40);
        long codeBytes = (long) N * DIM;
        long withCodes;
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("digits", CollectionConfig.of(DIM, Distance.EUCLID));
            for (int from = 0; from < N; from += 500) {
                upsert(c, base, from, from + 500);
            }
            assertAnswersAreExact(c, base, queries, "whole numbers");
            float[][] fractional = new float[queries.length][];
            for (int q = 0; q < queries.length; q++) {
                fractional[q] = base[q * 7].clone(); // its nearest, at 0.5, is where it came from
                fractional[q][(q * 31) % DIM] += 0.5f; // scored by the floats
            }
            assertScansAreExact(c, base, fractional, "queries with a fraction");
            withCodes = c.memory().heapBytes();
            assertTrue(withCodes >= (long) N * DIM * Float.BYTES + codeBytes, "heap " + withCodes + " holds floats and codes");
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("digits");
            assertAnswersAreExact(c, base, queries, "reopened");
            long reopened = c.memory().heapBytes();
            assertTrue(reopened >= (long) N * DIM * Float.BYTES + codeBytes, "heap " + reopened + " after the reopen");

            float[] fraction = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                fraction[d] = base[0][d] / 2; // halves of the odd intensities
            }
            c.upsert(List.of(Point.of(N, fraction)));
            long without = c.memory().heapBytes();
            assertTrue(without <= reopened - codeBytes, "codes dropped: heap " + reopened + " → " + without);
            float[][] stored = Arrays.copyOf(base, N + 1);
            stored[N] = fraction;
            assertAnswersAreExact(c, stored, queries, "after a fraction");
            List<ScoredPoint> self = search(c, fraction, SearchParams.ef(64), null);
            assertEquals(PointId.of(N), self.get(0).id());
            assertTrue(self.get(0).score() < 1f, "its own distance " + self.get(0).score());
        }
    }

    /**
     * Searches running while a write stores a vector with a fraction (which retires the codes
     * under them) and more vectors after it: every hit's distance is its stored vector's.
     */
    @Test
    void searchesOverlappingTheCodesRetirementScoreEveryHitExactly() throws Exception {
        ImageLikeGenerator images = new ImageLikeGenerator(23);
        float[][] base = images.next(2_400);
        float[][] queries = images.next(20);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("digits", CollectionConfig.of(DIM, Distance.EUCLID));
            upsert(c, base, 0, 2_000);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger searches = new AtomicInteger();
            Thread searcher = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; writing.get() || i < queries.length; i++) {
                        float[] query = queries[i % queries.length];
                        for (ScoredPoint hit : c.search(SearchRequest.builder().vector(query).limit(K)
                                .params(new SearchParams(32, false)).withPayload(false).withVector(true).build())) {
                            double d = Math.sqrt(squaredDistance(query, hit.vector()));
                            assertEquals(d, hit.score(), Math.max(1e-3, d * 1e-4), "distance of " + hit.id());
                        }
                        searches.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            float[] fraction = base[2_000].clone();
            fraction[300] += 0.25f;
            base[2_000] = fraction;
            for (int from = 2_000; from < base.length; from += 50) {
                upsert(c, base, from, from + 50); // the first batch holds the fraction
            }
            writing.set(false);
            searcher.join();
            if (failure.get() != null) {
                throw new AssertionError("a search failed after " + searches.get(), failure.get());
            }
            assertAnswersAreExact(c, base, queries, "after the overlap");
        }
    }

    /**
     * Tenants' own graphs (an {@code is_tenant} index) walk the codes too: a search filtered to a
     * tenant keeps brute force's recall over that tenant's points with the exact distances, also
     * after a vector with a fraction retires that tenant graph's codes.
     */
    @Test
    void tenantGraphsOfDigitImagesKeepTheExactDistances() {
        ImageLikeGenerator images = new ImageLikeGenerator(29);
        float[][] base = images.next(2_400);
        float[][] queries = images.next(30);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("digits", CollectionConfig.of(DIM, Distance.EUCLID));
            c.createPayloadIndex("tenant", PayloadSchema.KEYWORD, true); // before the points: graphs grow with them
            upsertWithTenants(c, base, 0, base.length);
            assertTenantAnswersAreExact(c, base, queries, "whole numbers");

            float[] fraction = base[0].clone(); // a tenant 0 point
            fraction[400] += 0.25f;
            base[0] = fraction;
            upsertWithTenants(c, base, 0, 1);
            assertTenantAnswersAreExact(c, base, queries, "after a fraction in tenant 0");
        }
    }

    private static void upsertWithTenants(VectorCollection c, float[][] vectors, int from, int to) {
        List<Point> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(Point.of(i, vectors[i], Map.of("tenant", "t" + i % 2)));
        }
        c.upsert(batch);
    }

    /** Per tenant (point i belongs to tenant i % 2): recall@10 at ef 32 of at least 0.95 against brute force, each hit's distance its vector's. */
    private static void assertTenantAnswersAreExact(VectorCollection c, float[][] stored, float[][] queries, String when) {
        for (int tenant = 0; tenant < 2; tenant++) {
            int t = tenant;
            int found = 0;
            long distancesBefore = c.diagnostics().searchDistanceComputations();
            for (float[] query : queries) {
                double[] truth = nearestDistances(stored, query, i -> i % 2 == t);
                List<ScoredPoint> hits = search(c, query, SearchParams.ef(32), Filter.match("tenant", "t" + t));
                assertEquals(K, hits.size(), when + ", tenant " + t);
                for (ScoredPoint hit : hits) {
                    assertEquals(t, idOf(hit) % 2, when + ": " + hit.id() + " is not tenant " + t + "'s");
                    double d = Math.sqrt(squaredDistance(query, stored[idOf(hit)]));
                    assertEquals(d, hit.score(), d * 1e-6, when + ": distance of " + hit.id());
                    found += d <= truth[K - 1] ? 1 : 0;
                }
            }
            double recall = (double) found / (queries.length * K);
            assertTrue(recall >= 0.95, when + ", tenant " + t + ": recall " + recall);
            long perQuery = (c.diagnostics().searchDistanceComputations() - distancesBefore) / queries.length;
            assertTrue(perQuery < stored.length / 2, when + ", tenant " + t + ": " + perQuery
                    + " distances a query, as many as a scan of the tenant: its graph was not walked");
        }
    }

    private static void upsert(VectorCollection c, float[][] vectors, int from, int to) {
        List<Point> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(Point.of(i, vectors[i]));
        }
        c.upsert(batch);
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    /**
     * Against brute force in double precision over {@code stored} (point i's vector; the
     * oracle): an exact search and a search filtered to 1% of the points (both answered by a
     * scan) return the true nearest with their exact distances; the graph's recall@10 at ef 64
     * is at least 0.95, and every hit's distance is its vector's.
     */
    private static void assertAnswersAreExact(VectorCollection c, float[][] stored, float[][] queries, String when) {
        assertScansAreExact(c, stored, queries, when);
        int found = 0;
        for (float[] query : queries) {
            double[] truth = nearestDistances(stored, query, i -> true);
            for (ScoredPoint hit : search(c, query, SearchParams.ef(64), null)) {
                double d = Math.sqrt(squaredDistance(query, stored[idOf(hit)]));
                assertEquals(d, hit.score(), d * 1e-6, when + ": distance of " + hit.id());
                found += d <= truth[K - 1] ? 1 : 0;
            }
        }
        double recall = (double) found / (queries.length * K);
        assertTrue(recall >= 0.95, when + ": recall " + recall);
    }

    /** An exact search and a search filtered to 1% of the points (both scans) answer as brute force over {@code stored}. */
    private static void assertScansAreExact(VectorCollection c, float[][] stored, float[][] queries, String when) {
        List<PointId> admitted = new ArrayList<>();
        for (int i = 0; i < stored.length; i += 100) {
            admitted.add(PointId.of(i));
        }
        Filter onePercent = Filter.hasId(admitted);
        for (float[] query : queries) {
            assertTrueNearest(search(c, query, SearchParams.EXACT, null), stored, query,
                    nearestDistances(stored, query, i -> true), when + ", exact");
            assertTrueNearest(search(c, query, SearchParams.ef(64), onePercent), stored, query,
                    nearestDistances(stored, query, i -> i % 100 == 0), when + ", filtered to 1%");
        }
    }

    /**
     * The hits are the true nearest, best first: at each rank the true distance (to the float
     * kernels' rounding, so points at nearly equal distances may come in either order), and each
     * hit's own.
     */
    private static void assertTrueNearest(List<ScoredPoint> hits, float[][] stored, float[] query, double[] truth,
                                          String what) {
        assertEquals(truth.length, hits.size(), what + ": hits");
        for (int r = 0; r < truth.length; r++) {
            ScoredPoint hit = hits.get(r);
            double own = Math.sqrt(squaredDistance(query, stored[idOf(hit)]));
            assertEquals(truth[r], own, truth[r] * 1e-6, what + ": rank " + r + " is " + hit.id());
            assertEquals(own, hit.score(), own * 1e-6, what + ": distance of " + hit.id());
        }
    }

    /** The {@value #K} smallest distances from {@code query} to the stored vectors {@code admit} takes, ascending. */
    private static double[] nearestDistances(float[][] stored, float[] query, IntPredicate admit) {
        return IntStream.range(0, stored.length).filter(admit)
                .mapToDouble(i -> Math.sqrt(squaredDistance(query, stored[i]))).sorted().limit(K).toArray();
    }

    private static int idOf(ScoredPoint hit) {
        return ((Long) hit.id().value()).intValue();
    }

    private static List<ScoredPoint> search(VectorCollection c, float[] query, SearchParams params, Filter filter) {
        SearchRequest.Builder request = SearchRequest.builder().vector(query).limit(K).params(params).withPayload(false);
        return c.search((filter == null ? request : request.filter(filter)).build());
    }
}
