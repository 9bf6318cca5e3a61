package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import dev.vdb.index.VectorSimilarity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VectorCollection#searchMmr} against the definition, step by step: over the exact nearest
 * candidates (checked against a brute force), each hit chosen must maximise
 * {@code λ·sim(q, c) − (1 − λ)·max sim(c, chosen)} (computed here in double precision) given the
 * hits chosen before it, for every distance and several diversities; near duplicates of the best
 * hit are passed over; limit, offset, filters and bad input behave.
 */
class MmrSearchTest {

    private static final int DIM = 12;

    @TempDir
    Path dir;

    @Test
    void eachHitMaximisesTheMarginalRelevanceGivenTheOnesBefore() {
        SplittableRandom random = new SplittableRandom(11);
        try (VectorDb db = VectorDb.open(dir)) {
            for (Distance distance : Distance.values()) {
                VectorCollection c = db.createCollection("m-" + distance.name().toLowerCase(java.util.Locale.ROOT),
                        CollectionConfig.of(DIM, distance));
                Map<PointId, float[]> vectors = new HashMap<>();
                List<Point> points = new ArrayList<>();
                float[][] centres = new float[6][];
                for (int k = 0; k < centres.length; k++) {
                    centres[k] = gaussian(random, 1);
                }
                for (int i = 0; i < 600; i++) {
                    float[] v = gaussian(random, 0.3f);
                    float[] centre = centres[i % centres.length];
                    for (int d = 0; d < DIM; d++) {
                        v[d] += centre[d];
                    }
                    vectors.put(PointId.of(i), v);
                    points.add(new Point(PointId.of(i), v, Map.of("even", i % 2 == 0), null));
                }
                c.upsert(points);
                VectorSimilarity similarity = distance.similarity();
                for (float diversity : new float[] {0f, 0.3f, 0.5f, 0.9f, 1f}) {
                    for (int q = 0; q < 5; q++) {
                        float[] query = gaussian(random, 1);
                        Filter filter = q % 2 == 0 ? null : Filter.match("even", true);
                        SearchRequest request = SearchRequest.builder().vector(query).limit(8).filter(filter)
                                .params(SearchParams.EXACT).build();
                        List<ScoredPoint> candidates = c.search(request.toBuilder().limit(60).build());
                        List<ScoredPoint> chosen = c.searchMmr(request, new Mmr(diversity, 60));
                        assertEquals(8, chosen.size());
                        checkStepByStep(similarity, query, candidates, chosen, vectors, 1 - diversity);
                        if (diversity == 0f) {
                            assertEquals(ids(candidates.subList(0, 8)), ids(chosen), "diversity 0 is the nearest order");
                        }
                        if (filter != null) {
                            chosen.forEach(h -> assertEquals(0, ((PointId.Num) h.id()).id() % 2, "filtered"));
                        }
                        // offset: the same ranking, the first ones skipped
                        List<ScoredPoint> page = c.searchMmr(request.toBuilder().offset(3).limit(5).build(), new Mmr(diversity, 60));
                        assertEquals(ids(chosen.subList(3, 8)), ids(page));
                    }
                }
            }
        }
    }

    /** At each step the engine's pick scores the best MMR value among the remaining candidates. */
    private static void checkStepByStep(VectorSimilarity similarity, float[] query, List<ScoredPoint> candidates,
                                        List<ScoredPoint> chosen, Map<PointId, float[]> vectors, double lambda) {
        List<PointId> pool = new ArrayList<>(ids(candidates));
        List<float[]> picked = new ArrayList<>();
        float[] q = similarity.prepare(query);
        for (int step = 0; step < chosen.size(); step++) {
            PointId pick = chosen.get(step).id();
            assertTrue(pool.contains(pick), "a pick comes from the nearest candidates, once");
            double best = Double.NEGATIVE_INFINITY;
            double picks = 0;
            for (PointId id : pool) {
                double value = mmr(similarity, q, similarity.prepare(vectors.get(id)), picked, lambda, step == 0);
                best = Math.max(best, value);
                if (id.equals(pick)) {
                    picks = value;
                }
            }
            assertEquals(best, picks, 1e-4 * Math.max(1, Math.abs(best)), "step " + step);
            pool.remove(pick);
            picked.add(similarity.prepare(vectors.get(pick)));
        }
    }

    private static double mmr(VectorSimilarity similarity, float[] q, float[] v, List<float[]> picked, double lambda,
                              boolean first) {
        double relevance = sim(similarity, q, v);
        if (first) {
            return relevance;
        }
        double closest = Double.NEGATIVE_INFINITY;
        for (float[] p : picked) {
            closest = Math.max(closest, sim(similarity, v, p));
        }
        return lambda * relevance - (1 - lambda) * closest;
    }

    /** The similarity in double precision: dot product (cosine over normalised vectors), or minus the squared distance. */
    private static double sim(VectorSimilarity similarity, float[] a, float[] b) {
        double dot = 0;
        double squared = 0;
        for (int d = 0; d < a.length; d++) {
            dot += (double) a[d] * b[d];
            squared += ((double) a[d] - b[d]) * ((double) a[d] - b[d]);
        }
        return similarity == VectorSimilarity.EUCLID ? -squared : dot;
    }

    @Test
    void nearDuplicatesOfTheBestHitArePassedOver() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("dups", CollectionConfig.of(3, Distance.COSINE));
            c.upsert(List.of(Point.of(1, new float[] {1, 0, 0}), Point.of(2, new float[] {1, 0.001f, 0}),
                    Point.of(3, new float[] {1, 0, 0.001f}), Point.of(4, new float[] {0.7f, 0.7f, 0}),
                    Point.of(5, new float[] {0.7f, 0, 0.7f})));
            SearchRequest request = SearchRequest.builder().vector(new float[] {1, 0.1f, 0.1f}).limit(3).build();
            assertEquals(java.util.Set.of(PointId.of(1), PointId.of(2), PointId.of(3)),
                    java.util.Set.copyOf(ids(c.search(request))), "plainly, the three near duplicates");
            List<PointId> diverse = ids(c.searchMmr(request, new Mmr(0.5f, 5)));
            assertEquals(3, diverse.size());
            assertEquals(1, diverse.stream().filter(id -> ((PointId.Num) id).id() <= 3).count(),
                    "one of the duplicates, then the two other directions: " + diverse);

            assertThrows(IllegalArgumentException.class, () -> new Mmr(1.5f, 10));
            assertThrows(IllegalArgumentException.class, () -> new Mmr(0.5f, 0));
            assertThrows(IllegalArgumentException.class, () -> new Mmr(0.5f, Mmr.MAX_CANDIDATES + 1));
            assertThrows(IllegalArgumentException.class, () -> c.searchMmr(SearchRequest.ofText("flow", 3), new Mmr(0.5f, 5)));
            assertEquals(2, c.searchMmr(request, new Mmr(0.5f, 2)).size(), "no more hits than candidates");
            assertEquals(diverse, ids(c.searchMmr(request, new Mmr(0.5f, Mmr.MAX_CANDIDATES))), "the most candidates a search takes");
            assertTrue(c.searchMmr(request, new Mmr(0.5f, 5)).stream().allMatch(h -> h.vector() == null),
                    "vectors only when asked");
        }
    }

    private static List<PointId> ids(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::id).toList();
    }

    private static float[] gaussian(SplittableRandom random, float scale) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }
}
