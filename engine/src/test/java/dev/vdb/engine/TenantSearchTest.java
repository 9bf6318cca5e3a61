package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import dev.vdb.index.FilterCostModel;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code is_tenant} keyword index makes a search filtered to one tenant cost what a collection
 * holding that tenant alone would, at its recall. Clustered vectors are given to tenants of
 * skewed sizes at random (a tenant's points spread over every cluster, the hard case for a
 * filtered traversal of the whole graph). Oracles: exact filtered search for recall; a
 * collection per tenant, holding the same points, searched at the same ef: the shared
 * collection's recall must be at least the own collection's minus {@value #RECALL_MARGIN}, and
 * its distance computations per query at most {@value #COST_FACTOR} times the own
 * collection's (two HNSW graphs with the same parameters over the same points; a traversal of
 * the whole graph filtered to a quarter of it makes several times more).
 */
class TenantSearchTest {

    private static final int DIM = 96;
    private static final int K = 10;
    private static final int QUERIES = 40;
    /** At d = 96, a traversal at ef 32 beats the scan of tenants of 2,184 points or more (they have graphs). */
    private static final int EF = 32;
    private static final double RECALL_MARGIN = 0.03;
    private static final double COST_FACTOR = 1.5;

    @TempDir
    Path dir;

    /** What the test wrote: each point's vector and tenant, the oracle's model. */
    private final Map<Integer, float[]> vectors = new HashMap<>();
    private final Map<Integer, String> tenantOf = new HashMap<>();

    @Test
    void tenantFilteredSearchCostsWhatTheTenantsOwnCollectionDoes() {
        int[] sizes = {5_000, 3_000, 1_500, 400, 100};
        Dataset data = Dataset.generate(sum(sizes), QUERIES, DIM, Metric.COSINE, K, 5);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection shared = db.createCollection("shared", CollectionConfig.of(DIM, Distance.COSINE));
            shared.createPayloadIndex("tenant", PayloadSchema.KEYWORD, true); // before the points: graphs grow with them
            shared.createPayloadIndex("half", PayloadSchema.KEYWORD);
            assign(sizes, data.base(), 0, 11);
            upsert(shared, vectors.keySet().stream().sorted().toList());
            for (int t = 0; t < sizes.length; t++) {
                compare(db, shared, "t" + t, data.queries(), null);
            }
            compare(db, shared, "t1", data.queries(), "a"); // the tenant and another condition
        }
    }

    @Test
    void tenantGraphsFollowWritesAndAReopen() {
        int[] sizes = {3_000, 2_500, 1_000, 300};
        Dataset data = Dataset.generate(sum(sizes) + 800, QUERIES, DIM, Metric.COSINE, K, 9);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection shared = db.createCollection("shared", CollectionConfig.of(DIM, Distance.COSINE));
            assign(sizes, data.base(), 0, 3);
            upsert(shared, vectors.keySet().stream().sorted().toList());
            shared.createPayloadIndex("tenant", PayloadSchema.KEYWORD, true); // after: built from the points
            Indexing.awaitTenantGraphs(shared); // built in the background; the costs compared are the graphs'
            Random random = new Random(4);
            List<Integer> t2 = idsOf("t2");
            List<PointId> moved = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                moved.add(PointId.of(t2.get(i)));
                tenantOf.put(t2.get(i), "t0");
            }
            shared.setPayload(PointSelector.ids(moved), Map.of("tenant", "t0")); // payload only: ordinals kept
            List<Integer> t0 = idsOf("t0");
            List<PointId> deleted = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int id = t0.get(random.nextInt(t0.size()));
                if (tenantOf.remove(id) != null) {
                    vectors.remove(id);
                    deleted.add(PointId.of(id));
                }
            }
            shared.delete(deleted);
            List<Integer> added = new ArrayList<>();
            for (int i = sum(sizes); i < sum(sizes) + 800; i++) {
                vectors.put(i, data.base()[i]);
                tenantOf.put(i, "t1");
                added.add(i);
            }
            upsert(shared, added);
            Map<PointId, float[]> replaced = new HashMap<>();
            List<Integer> t1 = idsOf("t1");
            for (int i = 0; i < 200; i++) {
                int id = t1.get(i);
                float[] v = data.base()[(id + 4_000) % sum(sizes)];
                vectors.put(id, v);
                replaced.put(PointId.of(id), v);
            }
            shared.updateVectors(replaced); // new ordinals in the same tenant
            for (String tenant : List.of("t0", "t1", "t2")) {
                compare(db, shared, tenant, data.queries(), null);
            }
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection shared = db.collection("shared");
            assertEquals("tenant", shared.tenantField().orElseThrow());
            Indexing.awaitTenantGraphs(shared); // rebuilt in the background on load
            for (String tenant : List.of("t0", "t1")) {
                compare(db, shared, tenant, data.queries(), null);
            }
        }
    }

    @Test
    void isTenantIsForOneKeywordFieldPerCollection() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(2, Distance.DOT));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.createPayloadIndex("n", PayloadSchema.INTEGER, true));
            assertTrue(e.getMessage().contains("is_tenant applies to keyword indexes only"), e.getMessage());
            c.createPayloadIndex("org", PayloadSchema.KEYWORD);
            c.createPayloadIndex("org", PayloadSchema.KEYWORD, true); // a keyword index becomes the tenant index
            c.createPayloadIndex("org", PayloadSchema.KEYWORD, true); // kept
            assertEquals("org", c.tenantField().orElseThrow());
            assertThrows(CollectionConflictException.class, () -> c.createPayloadIndex("team", PayloadSchema.KEYWORD, true));
            assertThrows(CollectionConflictException.class, () -> c.createPayloadIndex("org", PayloadSchema.KEYWORD));
        }
    }

    /**
     * The shared collection's search filtered to {@code tenant} (and to {@code half} when given)
     * against the same search in a collection of the tenant's points alone, both against the
     * exact answer.
     */
    private void compare(VectorDb db, VectorCollection shared, String tenant, float[][] queries, String half) {
        String ownName = "own-" + tenant + "-" + db.collectionNames().size();
        VectorCollection own = db.createCollection(ownName, CollectionConfig.of(DIM, Distance.COSINE));
        own.createPayloadIndex("half", PayloadSchema.KEYWORD);
        upsert(own, idsOf(tenant));
        Filter tenantOnly = Filter.match("tenant", tenant);
        Filter sharedFilter = half == null ? tenantOnly : Filter.must(tenantOnly, Filter.match("half", half));
        Filter ownFilter = half == null ? null : Filter.match("half", half);
        Run sharedRun = run(shared, sharedFilter, queries);
        Run ownRun = run(own, ownFilter, queries);
        String what = tenant + (half == null ? "" : " and half " + half) + ": shared " + sharedRun + ", own " + ownRun;
        assertTrue(sharedRun.recall >= ownRun.recall - RECALL_MARGIN, what);
        // a tenant whose scan costs less than any traversal at this ef is scanned: at most its size
        int size = idsOf(tenant).size();
        double bound = FilterCostModel.worthTraversing(size, EF, DIM) ? COST_FACTOR * ownRun.distancesPerQuery
                : Math.max(size, COST_FACTOR * ownRun.distancesPerQuery);
        assertTrue(sharedRun.distancesPerQuery <= bound, what);
        db.dropCollection(ownName);
    }

    private record Run(double recall, double distancesPerQuery) {}

    private static Run run(VectorCollection c, Filter filter, float[][] queries) {
        double recall = 0;
        long before = c.diagnostics().searchDistanceComputations();
        for (float[] q : queries) {
            recall += recall(c.search(request(q, filter, SearchParams.ef(EF))), c.search(request(q, filter, SearchParams.EXACT)));
        }
        long distances = c.diagnostics().searchDistanceComputations() - before;
        // the exact filtered searches' distances (one per match and query); unfiltered ones are not counted
        long exact = filter == null ? 0 : (long) queries.length * c.count(filter);
        return new Run(recall / queries.length, (double) (distances - exact) / queries.length);
    }

    private static SearchRequest request(float[] q, Filter filter, SearchParams params) {
        return SearchRequest.builder().vector(q).limit(K).filter(filter).params(params).withPayload(false).build();
    }

    private static double recall(List<ScoredPoint> found, List<ScoredPoint> exact) {
        Function<List<ScoredPoint>, List<PointId>> ids = hits -> hits.stream().map(ScoredPoint::id).toList();
        List<PointId> truth = ids.apply(exact);
        return truth.isEmpty() ? 1 : (double) ids.apply(found).stream().filter(truth::contains).count() / truth.size();
    }

    /** Gives {@code sizes[t]} random points of {@code base} (from {@code first} on) to tenant t. */
    private void assign(int[] sizes, float[][] base, int first, long seed) {
        List<Integer> ids = new ArrayList<>();
        for (int i = first; i < first + sum(sizes); i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(seed));
        int next = 0;
        for (int t = 0; t < sizes.length; t++) {
            for (int i = 0; i < sizes[t]; i++, next++) {
                vectors.put(ids.get(next), base[ids.get(next)]);
                tenantOf.put(ids.get(next), "t" + t);
            }
        }
    }

    private List<Integer> idsOf(String tenant) {
        return tenantOf.entrySet().stream().filter(e -> e.getValue().equals(tenant)).map(Map.Entry::getKey).sorted().toList();
    }

    private void upsert(VectorCollection c, List<Integer> ids) {
        List<Point> batch = new ArrayList<>();
        for (int id : ids) {
            batch.add(Point.of(id, vectors.get(id), Map.of("tenant", tenantOf.get(id), "half", id % 2 == 0 ? "a" : "b")));
            if (batch.size() == 1_000) {
                c.upsert(batch);
                batch.clear();
            }
        }
        c.upsert(batch);
    }

    private static int sum(int[] sizes) {
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        return n;
    }
}
