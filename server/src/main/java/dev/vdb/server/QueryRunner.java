package dev.vdb.server;

import dev.vdb.engine.Distance;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.Mmr;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointGroup;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.search.FormulaRescore;
import dev.vdb.engine.search.PointGroups;
import dev.vdb.server.QueryRequests.Example;
import dev.vdb.server.QueryRequests.Fuse;
import dev.vdb.server.QueryRequests.Nearest;
import dev.vdb.server.QueryRequests.Order;
import dev.vdb.server.QueryRequests.Query;
import dev.vdb.server.QueryRequests.QueryRequest;
import dev.vdb.server.QueryRequests.Recommend;
import dev.vdb.server.QueryRequests.Recommendation;
import dev.vdb.server.QueryRequests.Rescore;
import dev.vdb.server.QueryRequests.Sample;
import dev.vdb.server.QueryRequests.Stage;
import dev.vdb.server.QueryRequests.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs Qdrant's Query API and recommend on a collection's searches. A query by vector or point id
 * is a nearest-neighbour search (a point id's own point left out, as Qdrant does for examples);
 * recommend searches the average-vector query ({@code 2·avg(positive) − avg(negative)}, or the
 * positives' average alone) without the example points; a text with {@code using:"text"} is BM25.
 * Fusing a dense and a text prefetch by {@code rrf} is our hybrid search (RRF, k =
 * {@value Fusion#DEFAULT_RRF_K}); any other fusion runs each prefetch and fuses their lists here,
 * RRF with the same k or DBSF (scores normalised by mean ± 3 standard deviations, then summed); a
 * query over prefetches re-scores their candidates exactly. A top-level filter applies to every
 * prefetch too. One per request; every search it runs shares the request's {@link RequestTimeout}.
 * Immutable; thread-safe as its collection.
 */
final class QueryRunner {
    private final VectorCollection c;
    private final RequestTimeout timeout;
    /** The collections {@code lookup_from} may name, by name or alias. */
    private final Function<String, VectorCollection> collections;

    /**
     * Runs queries on {@code c}, every search of them within what is left of {@code timeout}; a
     * stage's {@code lookup_from} reads its examples from {@code collections}.
     */
    QueryRunner(VectorCollection c, RequestTimeout timeout, Function<String, VectorCollection> collections) {
        this.c = c;
        this.timeout = timeout;
        this.collections = collections;
    }

    /**
     * The stage with the point ids of its examples (and its prefetches') that {@code lookup_from}
     * sends to another collection replaced by their vectors there: examples given as vectors, which
     * are not left out of the hits as this collection's own example points are.
     */
    private Stage lookedUp(Stage s) {
        List<Stage> prefetch = s.prefetch().stream().map(this::lookedUp).toList();
        Query query = s.query();
        if (s.lookup() != null) {
            VectorCollection from = collections.apply(s.lookup().collection());
            String name = from.config().vectorName() == null ? "" : from.config().vectorName();
            if (s.lookup().vector() != null && !s.lookup().vector().equals(name)) {
                throw new IllegalArgumentException("lookup_from.vector names vector '" + s.lookup().vector()
                        + "', but points of collection '" + from.name() + "' have one vector"
                        + (name.isEmpty() ? ", unnamed" : ", named '" + name + "'"));
            }
            query = switch (query) {
                case Nearest n -> new Nearest(vectorIn(from, n.example()), n.mmr());
                case Recommend r -> new Recommend(new Recommendation(
                        r.recommendation().positive().stream().map(e -> vectorIn(from, e)).toList(),
                        r.recommendation().negative().stream().map(e -> vectorIn(from, e)).toList(),
                        r.recommendation().strategy()));
                case null, default -> query;
            };
        }
        return new Stage(query, prefetch, s.filter(), s.limit(), s.params(), s.threshold(), null);
    }

    /** The example as a vector: its point's in {@code from} when it is an id. */
    private static Example vectorIn(VectorCollection from, Example e) {
        if (e.id() == null) {
            return e;
        }
        Point p = from.get(e.id()).orElseThrow(() -> HttpError.notFound("point " + e.id()
                + " (an example of the query, lookup_from) does not exist in collection '" + from.name() + "'"));
        return new Example(null, p.vector());
    }

    /** The hits of a whole request, best first, after its offset. */
    List<ScoredPoint> run(QueryRequest q) {
        Stage s = lookedUp(q.stage());
        List<ScoredPoint> hits = stage(s, s.limit() + q.offset(), null, q.payload().any(), q.withVector());
        return hits.subList(Math.min(q.offset(), hits.size()), hits.size());
    }

    /**
     * The groups of a whole request's hits by {@code groupBy} ({@link PointGroups}): its query run
     * with growing limits, every run within the request's timeout.
     */
    List<PointGroup> groups(QueryRequest q, String groupBy, int groupSize) {
        Stage s = lookedUp(q.stage());
        List<PointGroup> groups = PointGroups.collect(limit -> stage(s, limit, null, true, q.withVector()), groupBy,
                s.limit(), groupSize);
        return q.payload().any() ? groups : PointGroups.withoutPayloads(groups);
    }

    private List<ScoredPoint> stage(Stage s, int limit, Filter inherited, boolean payload,
                                           boolean vector) {
        Filter filter = and(s.filter(), inherited);
        if (s.query() instanceof Fuse fuse) {
            return fuse(s, fuse.method(), limit, filter, payload, vector);
        }
        if (s.query() instanceof Rescore rescore) {
            List<List<ScoredPoint>> lists = new ArrayList<>();
            for (Stage p : s.prefetch()) {
                lists.add(stage(p, p.limit(), filter, false, false));
            }
            return FormulaRescore.rescore(c, lists, rescore.formula(), limit, s.threshold(), payload, vector);
        }
        if (!s.prefetch().isEmpty()) {
            Set<PointId> candidates = new LinkedHashSet<>();
            for (Stage p : s.prefetch()) {
                stage(p, p.limit(), filter, false, false).forEach(h -> candidates.add(h.id()));
            }
            if (s.query() == null || candidates.isEmpty()) {
                return List.of();
            }
            filter = and(filter, Filter.hasId(candidates));
            return switch (s.query()) {
                case Order o -> scroll(filter, limit, o.orderBy(), payload, vector);
                case Sample sample -> sample(filter, limit, payload, vector);
                default -> search(s.query(), filter, limit, SearchParams.EXACT, s.threshold(), payload, vector);
            };
        }
        if (s.query() instanceof Sample) {
            return sample(filter, limit, payload, vector);
        }
        if (s.query() == null || s.query() instanceof Order) {
            return scroll(filter, limit, s.query() instanceof Order o ? o.orderBy() : null, payload, vector);
        }
        return search(s.query(), filter, limit, s.params(), s.threshold(), payload, vector);
    }

    /** Points drawn at random among those {@code filter} matches, as hits scoring 0. */
    private List<ScoredPoint> sample(Filter filter, int limit, boolean payload, boolean vector) {
        return unscored(c.sample(new ScrollRequest(filter, limit, null, payload, vector, null)));
    }

    /** Points by id, or in the order of {@code orderBy} (null: id order), as hits scoring 0. */
    private List<ScoredPoint> scroll(Filter filter, int limit, ScrollRequest.OrderBy orderBy, boolean payload,
                                     boolean vector) {
        return unscored(c.scroll(new ScrollRequest(filter, limit, null, payload, vector, orderBy)).points());
    }

    private static List<ScoredPoint> unscored(List<Point> points) {
        return points.stream().map(p -> new ScoredPoint(p.id(), 0f, p.payload(), p.vector())).toList();
    }

    private List<ScoredPoint> search(QueryRequests.Query query, Filter filter, int limit,
                                            SearchParams params, Float threshold, boolean payload, boolean vector) {
        SearchRequest.Builder b = SearchRequest.builder().limit(limit).params(params).scoreThreshold(threshold)
                .withPayload(payload).withVector(vector);
        switch (query) {
            case Text t -> b.text(t.text());
            case Nearest n -> {
                if (n.example().id() != null) {
                    filter = and(filter, Filter.mustNot(Filter.hasId(n.example().id())));
                }
                b.vector(vectorOf(n.example()));
                if (n.mmr() != null) {
                    Integer candidates = n.mmr().candidatesLimit();
                    Mmr mmr = new Mmr(n.mmr().diversity(), candidates == null ? Math.min(limit, Mmr.MAX_CANDIDATES) : candidates);
                    return c.searchMmr(timeout.applyTo(b.filter(filter).build()), mmr);
                }
            }
            case Recommend r -> {
                List<PointId> ids = new ArrayList<>();
                for (Example e : concat(r.recommendation())) {
                    if (e.id() != null) {
                        ids.add(e.id());
                    }
                }
                if (!ids.isEmpty()) {
                    filter = and(filter, Filter.mustNot(Filter.hasId(ids)));
                }
                b.vector(averageVector(r.recommendation()));
            }
            case Fuse f -> throw new IllegalStateException("fusion is run by stage()");
            case Rescore r -> throw new IllegalStateException("a formula is run by stage()");
            case Order o -> throw new IllegalStateException("order_by is run by stage()");
            case Sample sample -> throw new IllegalStateException("a sample is run by stage()");
        }
        return c.search(timeout.applyTo(b.filter(filter).build()));
    }

    /** {@code 2·avg(positive) − avg(negative)}, or {@code avg(positive)} without negatives. */
    float[] averageVector(Recommendation r) {
        float[] pos = average(r.positive());
        if (r.negative().isEmpty()) {
            return pos;
        }
        float[] neg = average(r.negative());
        float[] out = new float[pos.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pos[i] + (pos[i] - neg[i]);
        }
        return out;
    }

    private float[] average(List<Example> examples) {
        float[] sum = null;
        for (Example e : examples) {
            float[] v = vectorOf(e);
            if (sum == null) {
                sum = new float[v.length];
            }
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= examples.size();
        }
        return sum;
    }

    private static List<Example> concat(Recommendation r) {
        List<Example> all = new ArrayList<>(r.positive());
        all.addAll(r.negative());
        return all;
    }

    private float[] vectorOf(Example e) {
        if (e.vector() != null) {
            return e.vector();
        }
        Point p = c.get(e.id()).orElseThrow(() -> HttpError.notFound("point " + e.id()
                + " (an example of the query) does not exist in collection '" + c.name() + "'"));
        return p.vector();
    }

    private List<ScoredPoint> fuse(Stage s, String method, int limit, Filter filter,
                                          boolean payload, boolean vector) {
        if (method.equals("rrf") && isDenseAndText(s.prefetch())) {
            return hybrid(s, limit, filter, payload, vector);
        }
        Map<PointId, Float> fused = new HashMap<>();
        Map<PointId, ScoredPoint> seen = new HashMap<>();
        for (Stage p : s.prefetch()) {
            List<ScoredPoint> hits = stage(p, p.limit(), filter, payload, vector);
            boolean lowerIsBetter = !(p.query() instanceof Text) && c.config().distance() == Distance.EUCLID;
            float[] scores = method.equals("rrf") ? rrf(hits.size()) : dbsf(hits, lowerIsBetter);
            for (int i = 0; i < hits.size(); i++) {
                fused.merge(hits.get(i).id(), scores[i], Float::sum);
                seen.putIfAbsent(hits.get(i).id(), hits.get(i));
            }
        }
        return fused.entrySet().stream()
                .sorted(Map.Entry.<PointId, Float>comparingByValue(Comparator.reverseOrder()))
                .filter(e -> s.threshold() == null || e.getValue() >= s.threshold())
                .limit(limit)
                .map(e -> {
                    ScoredPoint h = seen.get(e.getKey());
                    return new ScoredPoint(h.id(), e.getValue(), h.payload(), h.vector());
                })
                .toList();
    }

    /** One prefetch by vector or point id and one by text, neither with its own filter or prefetch. */
    private static boolean isDenseAndText(List<Stage> prefetch) {
        if (prefetch.size() != 2) {
            return false;
        }
        long texts = prefetch.stream().filter(p -> p.query() instanceof Text).count();
        long dense = prefetch.stream().filter(p -> p.query() instanceof Nearest n && n.mmr() == null).count();
        return texts == 1 && dense == 1
                && prefetch.stream().allMatch(p -> p.filter() == null && p.prefetch().isEmpty() && p.threshold() == null);
    }

    private List<ScoredPoint> hybrid(Stage s, int limit, Filter filter, boolean payload,
                                            boolean vector) {
        String text = null;
        Example dense = null;
        for (Stage p : s.prefetch()) {
            if (p.query() instanceof Text t) {
                text = t.text();
            } else {
                dense = ((Nearest) p.query()).example();
            }
        }
        if (dense.id() != null) {
            filter = and(filter, Filter.mustNot(Filter.hasId(dense.id())));
        }
        return c.search(timeout.applyTo(SearchRequest.builder().vector(vectorOf(dense)).text(text).filter(filter)
                .limit(limit).fusion(Fusion.rrf(Fusion.DEFAULT_RRF_K)).scoreThreshold(s.threshold()).withPayload(payload)
                .withVector(vector).build()));
    }

    /** Reciprocal rank fusion's share of ranks 1..n. */
    private static float[] rrf(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = 1f / (Fusion.DEFAULT_RRF_K + i + 1);
        }
        return out;
    }

    /** Distribution-based score fusion: each score normalised over mean ± 3σ of its list, clipped to 0..1. */
    private static float[] dbsf(List<ScoredPoint> hits, boolean lowerIsBetter) {
        int n = hits.size();
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        double mean = 0;
        for (ScoredPoint h : hits) {
            mean += h.score();
        }
        mean /= n;
        double var = 0;
        for (ScoredPoint h : hits) {
            var += (h.score() - mean) * (h.score() - mean);
        }
        double sd = Math.sqrt(var / n);
        double low = mean - 3 * sd;
        double high = mean + 3 * sd;
        for (int i = 0; i < n; i++) {
            double s = hits.get(i).score();
            double norm = high == low ? 0.5 : (s - low) / (high - low);
            norm = Math.max(0, Math.min(1, norm));
            out[i] = (float) (lowerIsBetter ? 1 - norm : norm);
        }
        return out;
    }

    private static Filter and(Filter a, Filter b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Filter.must(a, b);
    }
}
