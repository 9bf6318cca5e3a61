package dev.vdb.server;

import static dev.vdb.server.TreeReader.get;
import static dev.vdb.server.TreeReader.noShardKey;
import static dev.vdb.server.TreeReader.onlyFields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.FilterStrategy;
import dev.vdb.engine.Mmr;
import dev.vdb.engine.PointId;
import dev.vdb.engine.QuantizationParams;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.formula.Formula;
import dev.vdb.engine.search.PointGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses Qdrant's recommend and Query API bodies (and their batches), read as trees since their
 * fields take several forms (a vector or a point id, one prefetch or a list), into the stages
 * {@link QueryRunner} runs. Qdrant fields that do not apply to one vector per point
 * ({@code shard_key}, other vector names) are accepted when they say the default and otherwise
 * refused with a 400 naming them. Stateless and thread-safe; allocates the parsed
 * values only.
 */
final class QueryRequests {
    /** Qdrant's default limit of a prefetch. */
    static final int DEFAULT_PREFETCH_LIMIT = 10;
    /** Named vector of the text (BM25) side in the Query API's {@code using}. */
    static final String TEXT = "text";

    private QueryRequests() {}

    /** An example of recommend: a stored point's id or a vector (exactly one is non-null). */
    record Example(PointId id, float[] vector) {}

    /** Recommend's examples and strategy. */
    record Recommendation(List<Example> positive, List<Example> negative, String strategy) {}

    /** What a query stage asks: exactly one kind of query, or none (then: points by id order). */
    sealed interface Query permits Nearest, Text, Recommend, Fuse, Order, Rescore, Sample {}

    /** The nearest points to an example, re-ranked by maximal marginal relevance when {@code mmr} is not null. */
    record Nearest(Example example, MmrParams mmr) implements Query {}

    /**
     * Qdrant's {@code mmr} of a nearest query.
     *
     * @param candidatesLimit null: the stage's limit, as in Qdrant
     */
    record MmrParams(float diversity, Integer candidatesLimit) {}

    record Text(String text) implements Query {}

    record Recommend(Recommendation recommendation) implements Query {}

    /** Qdrant's {@code order_by} query: points in the order of a numeric payload field. */
    record Order(ScrollRequest.OrderBy orderBy) implements Query {}

    /** {@code rrf} or {@code dbsf} over the prefetches' results. */
    record Fuse(String method) implements Query {}

    /** Qdrant's formula query: the prefetches' candidates scored by a formula. */
    record Rescore(Formula formula) implements Query {}

    /** Qdrant's {@code {"sample":"random"}}: points drawn at random (score 0). */
    record Sample() implements Query {}

    /**
     * One level of a Query API request.
     *
     * @param query null for none
     * @param filter null for none
     * @param threshold null for none
     */
    record Stage(Query query, List<Stage> prefetch, Filter filter, int limit, SearchParams params, Float threshold,
                 Lookup lookup) {}

    /**
     * Qdrant's {@code lookup_from}: the point ids among a stage's examples name points of another
     * collection, whose vectors the query takes.
     *
     * @param vector the other collection's vector name, or null for its one vector
     */
    record Lookup(String collection, String vector) {}

    /** A whole Query API request, recommend request (as a stage) or search. */
    record QueryRequest(Stage stage, int offset, PayloadSelector payload, boolean withVector) {}

    /** {@code POST /points/recommend}: positive and negative examples, strategy, and search options. */
    static QueryRequest recommend(ObjectNode b, String at, CollectionVector collectionVector) {
        onlyFields(b, at, Set.of("positive", "negative", "strategy", "filter", "limit", "offset", "params",
                "with_payload", "with_vector", "score_threshold", "using", "lookup_from", "shard_key"));
        commonChecks(b, at, collectionVector);
        Recommendation r = recommendation(b, at, collectionVector);
        int limit = limit(b, at, 10);
        Stage stage = new Stage(new Recommend(r), List.of(), TreeReader.filter(b, "filter"), limit, params(b, at),
                threshold(b, at), lookup(b, at));
        return new QueryRequest(stage, offset(b, at), TreeReader.payloadSelector(b, at, PayloadSelector.NONE),
                TreeReader.withVector(b, at, collectionVector));
    }

    /** {@code POST /points/query}: a query, prefetches, filter and search options. */
    static QueryRequest query(ObjectNode b, String at, CollectionVector collectionVector) {
        onlyFields(b, at, Set.of("query", "prefetch", "using", "filter", "limit", "offset", "params", "with_payload",
                "with_vector", "score_threshold", "lookup_from", "shard_key"));
        commonChecks(b, at, collectionVector);
        Stage stage = stage(b, at, collectionVector, 10, true);
        return new QueryRequest(stage, offset(b, at), TreeReader.payloadSelector(b, at, PayloadSelector.NONE),
                TreeReader.withVector(b, at, collectionVector));
    }

    /** Qdrant's query groups: the query (its limit the number of groups), the field and the hits per group. */
    record QueryGroups(QueryRequest request, String groupBy, int groupSize) {}

    /**
     * {@code POST /points/query/groups}: a query as {@link #query} takes it (no {@code offset}),
     * {@code group_by} (required), {@code group_size} (default 3) and {@code limit} counting groups
     * (default 10).
     */
    static QueryGroups queryGroups(ObjectNode b, CollectionVector collectionVector) {
        onlyFields(b, "", Set.of("query", "prefetch", "using", "filter", "limit", "params", "with_payload",
                "with_vector", "score_threshold", "lookup_from", "shard_key", "group_by", "group_size", "with_lookup"));
        commonChecks(b, "", collectionVector);
        if (get(b, "with_lookup") != null) {
            throw new IllegalArgumentException("with_lookup is not supported: a group's id is the group_by value; look "
                    + "the points up with GET /collections/{name}/points/{id}");
        }
        if (get(b, "group_by") == null) {
            throw new IllegalArgumentException("group_by is missing (the payload field whose values group the hits)");
        }
        String groupBy = TreeReader.string(get(b, "group_by"), "group_by");
        int groupSize = get(b, "group_size") == null ? SearchRequestParser.DEFAULT_GROUP_SIZE
                : TreeReader.intIn(get(b, "group_size"), "group_size", 1, PointGroups.MAX_HITS);
        Stage stage = stage(b, "", collectionVector, 10, true);
        PointGroups.check(groupBy, stage.limit(), groupSize);
        QueryRequest request = new QueryRequest(stage, 0, TreeReader.payloadSelector(b, "", PayloadSelector.NONE),
                TreeReader.withVector(b, "", collectionVector));
        return new QueryGroups(request, groupBy, groupSize);
    }

    /** A list of requests under {@code searches}, each parsed by {@code one}. */
    static List<QueryRequest> batch(ObjectNode b, CollectionVector collectionVector, boolean recommend) {
        onlyFields(b, "", Set.of("searches"));
        JsonNode searches = get(b, "searches");
        if (searches == null || !searches.isArray()) {
            throw new IllegalArgumentException("searches must be an array of requests, got " + TreeReader.show(searches));
        }
        if (searches.size() > SearchRequestParser.MAX_BATCH) {
            throw new IllegalArgumentException("searches has more than " + SearchRequestParser.MAX_BATCH + " requests");
        }
        List<QueryRequest> out = new ArrayList<>();
        for (int i = 0; i < searches.size(); i++) {
            String at = "searches[" + i + "].";
            ObjectNode one = TreeReader.object(searches.get(i), "searches[" + i + "]");
            out.add(recommend ? recommend(one, at, collectionVector) : query(one, at, collectionVector));
        }
        return out;
    }

    private static Stage stage(ObjectNode b, String at, CollectionVector collectionVector, int defaultLimit, boolean top) {
        if (!top) {
            onlyFields(b, at, Set.of("query", "prefetch", "using", "filter", "limit", "params", "score_threshold",
                    "lookup_from"));
        }
        String using = get(b, "using") == null ? "" : TreeReader.string(get(b, "using"), at + "using");
        checkUsing(using, at, collectionVector);
        List<Stage> prefetch = new ArrayList<>();
        JsonNode pre = get(b, "prefetch");
        if (pre != null) {
            List<JsonNode> items = new ArrayList<>();
            if (pre.isArray()) {
                pre.forEach(items::add);
            } else {
                items.add(pre);
            }
            for (int i = 0; i < items.size(); i++) {
                String p = at + "prefetch[" + i + "]";
                prefetch.add(stage(TreeReader.object(items.get(i), p), p + ".", collectionVector, DEFAULT_PREFETCH_LIMIT, false));
            }
        }
        Query query = query(get(b, "query"), at + "query", using, collectionVector);
        if (query instanceof Fuse && prefetch.isEmpty()) {
            throw new IllegalArgumentException(at + "query fusion needs prefetch: the result lists to fuse");
        }
        if (query instanceof Rescore && prefetch.isEmpty()) {
            throw new IllegalArgumentException(at + "query formula needs prefetch: the candidates to score");
        }
        if (query instanceof Text && !using.equals(TEXT)) {
            throw new IllegalArgumentException(at + "query is a text: say using \"text\" (BM25 over the points' texts)");
        }
        if (using.equals(TEXT) && query != null && !(query instanceof Text)) {
            throw new IllegalArgumentException(at + "using \"text\" takes a text query (a string or {\"text\":..})");
        }
        return new Stage(query, prefetch, TreeReader.filter(b, "filter"), limit(b, at, defaultLimit), params(b, at),
                threshold(b, at), lookup(b, at));
    }

    private static Query query(JsonNode q, String field, String using, CollectionVector collectionVector) {
        if (q == null) {
            return null;
        }
        if (q.isTextual() && using.equals(TEXT)) {
            return new Text(nonBlank(q.asText(), field));
        }
        if (TreeReader.isVector(q) || TreeReader.isPointId(q)) {
            return new Nearest(example(q, field, collectionVector), null);
        }
        ObjectNode o = TreeReader.object(q, field);
        if (o.has("formula")) {
            onlyFields(o, field + ".", Set.of("formula", "defaults"));
            try {
                return new Rescore(Formula.fromJson(o.get("formula"), o.get("defaults")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "." + e.getMessage(), e);
            }
        }
        if (o.has("nearest") && o.has("mmr")) {
            onlyFields(o, field + ".", Set.of("nearest", "mmr"));
            return new Nearest(example(o.get("nearest"), field + ".nearest", collectionVector), mmr(o.get("mmr"), field + ".mmr"));
        }
        if (o.size() != 1) {
            throw new IllegalArgumentException(field + " must have exactly one of nearest, recommend, fusion, formula, text, order_by, "
                    + "sample, got "
                    + TreeReader.show(o));
        }
        String kind = o.fieldNames().next();
        JsonNode v = o.get(kind);
        return switch (kind) {
            case "nearest" -> new Nearest(example(v, field + ".nearest", collectionVector), null);
            case "recommend" -> {
                ObjectNode r = TreeReader.object(v, field + ".recommend");
                onlyFields(r, field + ".recommend.", Set.of("positive", "negative", "strategy"));
                yield new Recommend(recommendation(r, field + ".recommend.", collectionVector));
            }
            case "fusion" -> {
                String method = TreeReader.string(v, field + ".fusion");
                if (!method.equals("rrf") && !method.equals("dbsf")) {
                    throw new IllegalArgumentException(field + ".fusion must be rrf or dbsf, got " + Json.quote(method));
                }
                yield new Fuse(method);
            }
            case "text" -> new Text(nonBlank(TreeReader.string(v, field + ".text"), field + ".text"));
            case "order_by" -> new Order(QdrantPointRequests.orderBy(v, field + ".order_by"));
            case "sample" -> {
                if (!v.isTextual() || !v.textValue().equals("random")) {
                    throw new IllegalArgumentException(field + ".sample must be \"random\", got " + TreeReader.show(v));
                }
                yield new Sample();
            }
            default -> throw new IllegalArgumentException(field + ": " + Json.quote(kind) + " is not supported here "
                    + "(nearest, recommend, fusion, formula, text, order_by, sample are)");
        };
    }

    /** {@code {"diversity": 0.5, "candidates_limit": 100}}, both optional (Qdrant's defaults: 0.5 and the limit). */
    private static MmrParams mmr(JsonNode m, String field) {
        ObjectNode o = TreeReader.object(m, field);
        onlyFields(o, field + ".", Set.of("diversity", "candidates_limit"));
        float diversity = get(o, "diversity") == null ? Mmr.DEFAULT_DIVERSITY
                : TreeReader.finiteFloat(get(o, "diversity"), field + ".diversity");
        if (!(diversity >= 0 && diversity <= 1)) {
            throw new IllegalArgumentException(field + ".diversity must be within [0, 1], got " + diversity);
        }
        Integer candidates = get(o, "candidates_limit") == null ? null
                : TreeReader.intIn(get(o, "candidates_limit"), field + ".candidates_limit", 1, Mmr.MAX_CANDIDATES);
        return new MmrParams(diversity, candidates);
    }

    private static String nonBlank(String text, String field) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(field + " must contain a word to search for, got " + Json.quote(text));
        }
        return text;
    }

    private static Recommendation recommendation(ObjectNode b, String at, CollectionVector collectionVector) {
        List<Example> positive = examples(get(b, "positive"), at + "positive", collectionVector);
        List<Example> negative = examples(get(b, "negative"), at + "negative", collectionVector);
        String strategy = get(b, "strategy") == null ? "average_vector"
                : TreeReader.string(get(b, "strategy"), at + "strategy");
        if (!strategy.equals("average_vector")) {
            throw new IllegalArgumentException(at + "strategy " + Json.quote(strategy) + " is not supported; "
                    + "average_vector is");
        }
        if (positive.isEmpty()) {
            throw new IllegalArgumentException(at + "positive must hold at least one point id or vector");
        }
        return new Recommendation(positive, negative, strategy);
    }

    private static List<Example> examples(JsonNode v, String field, CollectionVector collectionVector) {
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of point ids or vectors, got " + TreeReader.show(v));
        }
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(example(v.get(i), field + "[" + i + "]", collectionVector));
        }
        return out;
    }

    private static Example example(JsonNode v, String field, CollectionVector collectionVector) {
        if (TreeReader.isPointId(v)) {
            return new Example(TreeReader.pointId(v, field), null);
        }
        return new Example(null, TreeReader.vector(v, field, collectionVector));
    }

    /**
     * {@code using}: empty or the collection's vector name for the vector, {@code "text"} for the
     * points' texts (BM25).
     */
    private static void checkUsing(String using, String at, CollectionVector collectionVector) {
        if (!using.isEmpty() && !using.equals(TEXT) && !using.equals(collectionVector.name())) {
            throw new IllegalArgumentException(at + "using names vector " + Json.quote(using) + ": points here have "
                    + collectionVector.describe() + " (leave using out, or name it) and a text searched with BM25 "
                    + "(using \"text\")");
        }
    }

    private static void commonChecks(ObjectNode b, String at, CollectionVector collectionVector) {
        noShardKey(b, at);
        if (get(b, "using") != null) {
            checkUsing(TreeReader.string(get(b, "using"), at + "using"), at, collectionVector);
        }
    }

    /** {@code {"collection": "name", "vector": "name"}} ({@code vector} optional), or null when absent. */
    private static Lookup lookup(ObjectNode b, String at) {
        JsonNode l = get(b, "lookup_from");
        if (l == null) {
            return null;
        }
        ObjectNode o = TreeReader.object(l, at + "lookup_from");
        onlyFields(o, at + "lookup_from.", Set.of("collection", "vector"));
        String vector = get(o, "vector") == null ? null : TreeReader.string(get(o, "vector"), at + "lookup_from.vector");
        return new Lookup(TreeReader.string(get(o, "collection"), at + "lookup_from.collection"), vector);
    }

    private static int limit(ObjectNode b, String at, int defaultLimit) {
        return get(b, "limit") == null ? defaultLimit
                : TreeReader.intIn(get(b, "limit"), at + "limit", 1, SearchRequest.MAX_LIMIT);
    }

    private static int offset(ObjectNode b, String at) {
        return get(b, "offset") == null ? 0 : TreeReader.intIn(get(b, "offset"), at + "offset", 0, SearchRequest.MAX_LIMIT);
    }

    private static Float threshold(ObjectNode b, String at) {
        return get(b, "score_threshold") == null ? null
                : TreeReader.finiteFloat(get(b, "score_threshold"), at + "score_threshold");
    }

    /** Qdrant's search params: hnsw_ef, exact and quantization; the indexed_only default is accepted. */
    private static SearchParams params(ObjectNode b, String at) {
        JsonNode v = get(b, "params");
        if (v == null) {
            return SearchParams.DEFAULT;
        }
        ObjectNode p = TreeReader.object(v, at + "params");
        onlyFields(p, at + "params.", Set.of("hnsw_ef", "exact", "filter_strategy", "indexed_only", "quantization"));
        int ef = get(p, "hnsw_ef") == null ? 0 : TreeReader.intIn(get(p, "hnsw_ef"), at + "params.hnsw_ef", 1,
                SearchParams.MAX_EF);
        boolean exact = get(p, "exact") != null && TreeReader.bool(get(p, "exact"), at + "params.exact");
        FilterStrategy strategy = get(p, "filter_strategy") == null ? FilterStrategy.AUTO
                : FilterStrategy.parse(TreeReader.string(get(p, "filter_strategy"), at + "params.filter_strategy"));
        if (get(p, "indexed_only") != null && TreeReader.bool(get(p, "indexed_only"), at + "params.indexed_only")) {
            throw new IllegalArgumentException(at + "params.indexed_only true is not supported: every point is searchable "
                    + "once its upsert returned");
        }
        QuantizationParams quantization = get(p, "quantization") == null ? QuantizationParams.DEFAULT
                : QuantizationJson.params(get(p, "quantization"), at);
        return new SearchParams(ef, exact, strategy, quantization);
    }

}
