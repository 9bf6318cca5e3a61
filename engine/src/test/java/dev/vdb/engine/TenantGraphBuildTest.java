package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.filter.Filter;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-tenant graphs of an {@code is_tenant} index are built in the background when a
 * collection loads, with searches and writes issued meanwhile. Oracles: the test's model of each
 * point's tenant (a result outside its tenant, or a deleted one, fails), exact filtered search
 * (recall, and never fewer results than it), and {@link DatabaseCheck}, which checks that each
 * built tenant graph holds exactly its tenant's postings and that every large tenant has one.
 */
class TenantGraphBuildTest {

    private static final int DIM = 32;
    private static final int K = 10;
    private static final int QUERIES = 20;
    private static final int EF = 256;
    /** Mean recall at ef {@value #EF} against exact filtered search, by the planner or a tenant graph. */
    private static final double MIN_RECALL = 0.95;
    /** A narrower beam, where a graph whose concurrent links went wrong loses recall that ef 256 would hide. */
    private static final int NARROW_EF = 48;
    /** Mean recall at ef {@value #NARROW_EF} of a built tenant graph against exact filtered search. */
    private static final double MIN_NARROW_RECALL = 0.9;
    /** Single-point upserts each writer makes after the build has ended (links concurrent with each other's). */
    private static final int WRITES_AFTER_BUILD = 150;
    private static final int[] SIZES = {6_000, 4_000, 3_000, 1_000, 100};
    private static final List<String> TENANTS = List.of("t0", "t1", "t2", "t3", "t4");

    @TempDir
    Path dir;

    /** What the test wrote: each point's vector and tenant, the oracle's model. */
    private final Map<Integer, float[]> vectors = new HashMap<>();
    private final Map<Integer, String> tenantOf = new HashMap<>();
    private Dataset data;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void searchesAndWritesDuringTheBuildAgreeWithExactSearchAndTheGraphsWithThePostings() {
        createAndClose(3_200);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection shared = db.collection("shared");
            // the first call loads the collection, which starts the build and returns
            assumeTrue(shared.diagnostics().tenantGraphsBuilding(),
                    "the build ended before the first call returned: nothing ran beside it");
            Random random = new Random(7);
            int nextId = sum(SIZES);
            for (int round = 0; round < 8; round++) {
                // a payload move t1 -> t0 (ordinals kept), deletes in t0, adds to t2, new vectors in t3
                List<PointId> moved = new ArrayList<>();
                for (int id : pick(idsOf("t1"), 100, random)) {
                    tenantOf.put(id, "t0");
                    moved.add(PointId.of(id));
                }
                shared.setPayload(PointSelector.ids(moved), Map.of("tenant", "t0"));
                List<PointId> deleted = new ArrayList<>();
                for (int id : pick(idsOf("t0"), 60, random)) {
                    tenantOf.remove(id);
                    vectors.remove(id);
                    deleted.add(PointId.of(id));
                }
                shared.delete(deleted);
                List<Integer> added = new ArrayList<>();
                for (int i = 0; i < 400; i++, nextId++) {
                    vectors.put(nextId, data.base()[nextId]);
                    tenantOf.put(nextId, "t2");
                    added.add(nextId);
                }
                upsert(shared, added);
                Map<PointId, float[]> replaced = new HashMap<>();
                for (int id : pick(idsOf("t3"), 50, random)) {
                    float[] v = data.base()[random.nextInt(sum(SIZES))];
                    vectors.put(id, v);
                    replaced.put(PointId.of(id), v);
                }
                shared.updateVectors(replaced); // new ordinals in the same tenant
                assertClean(db); // the graphs built so far hold exactly their tenants' points
                for (String tenant : TENANTS) {
                    check(shared, tenant, QUERIES / 4);
                }
            }
            awaitBuilt(shared);
            assertClean(db);
            for (String tenant : TENANTS) {
                check(shared, tenant, QUERIES);
            }
        }
    }

    /**
     * Two writers upsert into the largest tenant one point per call (new points, and new vectors
     * for its points, which move them to new ordinals) while the load builds its graph, and on for
     * a while after: single-node links beside the build's parallel ones, then beside each other's.
     * Afterwards the tenant's search keeps its recall against exact search at a narrow beam.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void singlePointUpsertsIntoATenantWhileItsGraphBuildsLeaveItsRecall() {
        int spare = 6_000;
        createAndClose(spare);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection shared = db.collection("shared");
            assumeTrue(shared.diagnostics().tenantGraphsBuilding(), "the build ended before the first call returned");
            List<Integer> members = idsOf("t0");
            AtomicInteger nextVector = new AtomicInteger(sum(SIZES));
            AtomicInteger duringBuild = new AtomicInteger();
            int end = sum(SIZES) + spare;
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(CompletableFuture.runAsync(() -> {
                    Random random = new Random(11 + writer);
                    int after = 0;
                    for (int v; after < WRITES_AFTER_BUILD && (v = nextVector.getAndIncrement()) < end; ) {
                        boolean building = shared.diagnostics().tenantGraphsBuilding();
                        // each writer replaces the vectors of its own half of the tenant's points, or adds one
                        int id = random.nextBoolean() ? v : members.get(2 * random.nextInt(members.size() / 2) + writer);
                        synchronized (this) {
                            vectors.put(id, data.base()[v]);
                            tenantOf.put(id, "t0");
                        }
                        shared.upsert(List.of(Point.of(id, data.base()[v], Map.of("tenant", "t0"))));
                        if (building) {
                            duringBuild.incrementAndGet();
                        } else {
                            after++;
                        }
                    }
                }, runnable -> Thread.ofPlatform().start(runnable)));
            }
            writers.forEach(CompletableFuture::join);
            assumeTrue(duringBuild.get() > 0, "no upsert ran beside the build");
            awaitBuilt(shared);
            assertClean(db);
            check(shared, "t0", QUERIES, NARROW_EF, MIN_NARROW_RECALL);
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // a close that waits for a build that never stops hangs
    void closingDuringTheBuildStopsItAndAReopenAnswersCorrectly() {
        createAndClose(0);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection shared = db.collection("shared");
            assumeTrue(shared.diagnostics().tenantGraphsBuilding(), "the build ended before the first call returned");
        } // closes while the build runs: it stops and is waited for
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection shared = db.collection("shared");
            for (String tenant : TENANTS) {
                check(shared, tenant, QUERIES / 4); // while it builds again
            }
            awaitBuilt(shared);
            assertClean(db);
            for (String tenant : TENANTS) {
                check(shared, tenant, QUERIES);
            }
        }
    }

    /**
     * Creates the collection, its tenant index and the points of {@link #SIZES} (random base
     * vectors), and closes it; {@code spare} more base vectors are left for adds.
     */
    private void createAndClose(int spare) {
        data = Dataset.generate(sum(SIZES) + spare, QUERIES, DIM, Metric.COSINE, K, 3);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < sum(SIZES); i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(5));
        int next = 0;
        for (int t = 0; t < SIZES.length; t++) {
            for (int i = 0; i < SIZES[t]; i++, next++) {
                vectors.put(ids.get(next), data.base()[ids.get(next)]);
                tenantOf.put(ids.get(next), "t" + t);
            }
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection shared = db.createCollection("shared", CollectionConfig.of(DIM, Distance.COSINE));
            shared.createPayloadIndex("tenant", PayloadSchema.KEYWORD, true);
            upsert(shared, ids.stream().sorted().toList());
        }
    }

    /**
     * {@code queries} searches filtered to {@code tenant} at ef {@value #EF}: each returns as many
     * points as the exact search, all live in the tenant, and their mean recall is at least
     * {@value #MIN_RECALL}.
     */
    private void check(VectorCollection shared, String tenant, int queries) {
        check(shared, tenant, queries, EF, MIN_RECALL);
    }

    /** As {@link #check(VectorCollection, String, int)}, at {@code ef}, with a mean recall of at least {@code minRecall}. */
    private void check(VectorCollection shared, String tenant, int queries, int ef, double minRecall) {
        Set<Integer> members = new HashSet<>(idsOf(tenant));
        Filter filter = Filter.match("tenant", tenant);
        double recall = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = data.queries()[q];
            List<ScoredPoint> found = shared.search(request(query, filter, SearchParams.ef(ef)));
            List<ScoredPoint> exact = shared.search(request(query, filter, SearchParams.EXACT));
            assertEquals(Math.min(K, members.size()), exact.size(), tenant);
            assertEquals(exact.size(), found.size(), tenant + ": a search returned short");
            Set<PointId> truth = new HashSet<>();
            for (ScoredPoint p : exact) {
                truth.add(p.id());
            }
            int hits = 0;
            for (ScoredPoint p : found) {
                int id = (int) ((PointId.Num) p.id()).id();
                assertTrue(members.contains(id), tenant + ": point " + id + " is deleted or another tenant's");
                hits += truth.contains(p.id()) ? 1 : 0;
            }
            recall += (double) hits / exact.size();
        }
        recall /= queries;
        assertTrue(recall >= minRecall, tenant + ": recall " + recall + " at ef " + ef);
    }

    /** Waits for the background build to end (the test's timeout bounds the wait). */
    private static void awaitBuilt(VectorCollection shared) {
        while (shared.diagnostics().tenantGraphsBuilding()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static void assertClean(VectorDb db) {
        DatabaseCheck.Report report = DatabaseCheck.check(db);
        assertTrue(report.clean(), report.toString());
    }

    private static SearchRequest request(float[] q, Filter filter, SearchParams params) {
        return SearchRequest.builder().vector(q).limit(K).filter(filter).params(params).withPayload(false).build();
    }

    private static List<Integer> pick(List<Integer> ids, int n, Random random) {
        List<Integer> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, random);
        return shuffled.subList(0, n);
    }

    private List<Integer> idsOf(String tenant) {
        return tenantOf.entrySet().stream().filter(e -> e.getValue().equals(tenant)).map(Map.Entry::getKey).sorted().toList();
    }

    private void upsert(VectorCollection c, List<Integer> ids) {
        List<Point> batch = new ArrayList<>();
        for (int id : ids) {
            batch.add(Point.of(id, vectors.get(id), Map.of("tenant", tenantOf.get(id))));
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
