package dev.vdb.bench.tenants;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.filter.Filter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * One bucket of tenants measured three ways at each ef, single-threaded: a search filtered to the
 * tenant in the collection with the {@code is_tenant} index, the same in a collection whose tenant
 * field has a plain keyword index (the filter planner), and an unfiltered search of a collection
 * holding that tenant alone. Recall@k against the exact search of the tenant's own collection;
 * queries per CPU second over every sampled tenant's queries after an untimed warm-up pass of each
 * engine, the best of {@code rounds} timed passes, the three engines taking turns within each
 * round so that load on the machine affects them alike.
 *
 * <p>Time is the searching thread's CPU time, not the wall clock: a search runs on the calling
 * thread, and on a shared machine the wall clock mostly measures how long the scheduler left the
 * thread waiting (passes of one engine at one ef moved by 3x and more from one to the next), while
 * in CPU time they moved by 5-15%. It leaves out the garbage collector's threads, so an engine
 * that allocates much (the keyword index's planner) looks somewhat faster than it is.
 */
final class TenantSweep {

    static final String IS_TENANT = "is_tenant";
    static final String KEYWORD = "keyword";
    static final String OWN = "own collection";
    static final List<String> ENGINES = List.of(IS_TENANT, KEYWORD, OWN);

    /** One engine at one ef. */
    record Measure(String engine, int ef, double recall, double qps) {}

    /** A bucket's sampled tenants, their sizes and the measures. */
    record Bucket(int tenants, int bucket, List<Integer> sizes, List<Measure> measures) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final VectorDb db;
    private final float[][] base;
    private final float[][] queries;
    private final Distance distance;
    private final int k;
    private final int rounds;
    private final double minSeconds;

    TenantSweep(VectorDb db, float[][] base, float[][] queries, Distance distance, int k, int rounds, double minSeconds) {
        this.db = db;
        this.base = base;
        this.queries = queries;
        this.distance = distance;
        this.k = k;
        this.rounds = rounds;
        this.minSeconds = minSeconds;
    }

    /**
     * Measures {@code sampled} tenants of {@code layout}: {@code tenantShared} holds every point
     * with the tenant's name in {@code "tenant"} (its {@code is_tenant} field), {@code keywordShared}
     * in {@code keywordField}.
     */
    Bucket measure(TenantLayout layout, int bucket, List<Integer> sampled, VectorCollection tenantShared,
                   VectorCollection keywordShared, String keywordField, List<Integer> efs) {
        List<VectorCollection> own = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Set<PointId>> truth = new ArrayList<>();
        for (int tenant : sampled) {
            VectorCollection c = db.createCollection("own-" + layout.tenants() + "-" + tenant,
                    CollectionConfig.of(base[0].length, distance));
            upsert(c, layout.pointsOf(tenant), null);
            own.add(c);
            sizes.add(layout.sizes()[tenant]);
            for (float[] q : queries) {
                Set<PointId> ids = new HashSet<>();
                for (ScoredPoint hit : c.search(request(q, null, SearchParams.EXACT))) {
                    ids.add(hit.id());
                }
                truth.add(ids);
            }
        }
        // warm-up: every engine's code paths compiled before anything is timed
        int widest = efs.stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (String engine : ENGINES) {
            run(engine, sampled, own, tenantShared, keywordShared, keywordField, truth, widest);
        }
        List<Measure> measures = new ArrayList<>();
        for (int ef : efs) {
            Map<String, double[]> best = new LinkedHashMap<>(); // engine -> {recall, qps}
            for (int round = 0; round < rounds; round++) {
                for (String engine : ENGINES) {
                    double[] run = run(engine, sampled, own, tenantShared, keywordShared, keywordField, truth, ef);
                    best.merge(engine, run, (a, b) -> a[1] >= b[1] ? a : b);
                }
            }
            best.forEach((engine, r) -> measures.add(new Measure(engine, ef, r[0], r[1])));
        }
        for (VectorCollection c : own) {
            db.dropCollection(c.name());
        }
        return new Bucket(layout.tenants(), bucket, sizes, measures);
    }

    /**
     * {recall, queries per CPU second} of one engine over every sampled tenant's queries, passes
     * repeated for at least {@code minSeconds} of the thread's CPU time.
     */
    private double[] run(String engine, List<Integer> sampled, List<VectorCollection> own, VectorCollection tenantShared,
                         VectorCollection keywordShared, String keywordField, List<Set<PointId>> truth, int ef) {
        SearchParams params = SearchParams.ef(ef);
        double found = 0;
        long searches = 0;
        long start = THREADS.getCurrentThreadCpuTime();
        long elapsed;
        boolean first = true;
        do {
            for (int t = 0; t < sampled.size(); t++) {
                String name = TenantLayout.name(sampled.get(t));
                VectorCollection c = switch (engine) {
                    case IS_TENANT -> tenantShared;
                    case KEYWORD -> keywordShared;
                    default -> own.get(t);
                };
                Filter filter = switch (engine) {
                    case IS_TENANT -> Filter.match("tenant", name);
                    case KEYWORD -> Filter.match(keywordField, name);
                    default -> null;
                };
                for (int q = 0; q < queries.length; q++) {
                    List<ScoredPoint> hits = c.search(request(queries[q], filter, params));
                    if (first) {
                        Set<PointId> exact = truth.get(t * queries.length + q);
                        for (ScoredPoint hit : hits) {
                            found += exact.contains(hit.id()) ? 1 : 0;
                        }
                    }
                    searches++;
                }
            }
            first = false;
            elapsed = THREADS.getCurrentThreadCpuTime() - start;
        } while (elapsed < minSeconds * 1e9);
        double wanted = 0;
        for (int t = 0; t < sampled.size(); t++) {
            for (int q = 0; q < queries.length; q++) {
                wanted += truth.get(t * queries.length + q).size();
            }
        }
        return new double[] {found / wanted, searches / (elapsed / 1e9)};
    }

    private SearchRequest request(float[] q, Filter filter, SearchParams params) {
        return SearchRequest.builder().vector(q).limit(k).filter(filter).params(params).withPayload(false).build();
    }

    /** Writes the points {@code ids} of the base, each with {@code payload(id)} (none when null). */
    void upsert(VectorCollection c, int[] ids, IntFunction<Map<String, Object>> payload) {
        List<Point> batch = new ArrayList<>();
        for (int id : ids) {
            batch.add(Point.of(id, base[id], payload == null ? Map.of() : payload.apply(id)));
            if (batch.size() == 5_000) {
                c.upsert(batch);
                batch.clear();
            }
        }
        c.upsert(batch);
    }
}
