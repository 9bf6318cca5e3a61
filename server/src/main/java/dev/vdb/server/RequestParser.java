package dev.vdb.server;

import static dev.vdb.server.BodyReader.bool;
import static dev.vdb.server.BodyReader.finiteFloat;
import static dev.vdb.server.BodyReader.intIn;
import static dev.vdb.server.BodyReader.nextField;
import static dev.vdb.server.BodyReader.pointId;
import static dev.vdb.server.BodyReader.pointIds;
import static dev.vdb.server.BodyReader.requireEnd;
import static dev.vdb.server.BodyReader.requireObject;
import static dev.vdb.server.BodyReader.string;
import static dev.vdb.server.BodyReader.unknownField;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.FilterStrategy;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.TextConfig;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.FilterParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses request bodies of the HTTP contract with Jackson's streaming parser into engine
 * types. Unknown fields are rejected (400 naming the field), so a misspelt option never goes
 * unnoticed. Filters are read as a tree and handed to the engine's {@link FilterParser}, whose
 * errors name the filter's path. Thread-safe; allocates the parsed values only (vectors go
 * straight into {@code float[]}).
 */
final class RequestParser {
    /** Results returned by search when the request gives no {@code limit}. */
    static final int DEFAULT_LIMIT = 10;
    /** Largest RRF rank constant accepted; far beyond any useful value, it only bounds the input. */
    static final int MAX_RRF_K = 1_000_000;
    /** Most searches in one batch request. */
    static final int MAX_BATCH = 1_000;
    /** Longest payload index field name (a dotted key) accepted. */
    static final int MAX_FIELD_NAME_LENGTH = 256;

    private final BodyReader reader;

    RequestParser(ObjectMapper mapper) {
        this.reader = new BodyReader(mapper);
    }

    /** What {@code POST /collections/{name}/points} asks for. */
    record PointsLookup(List<PointId> ids, boolean withVector, PayloadSelector withPayload) {}

    /** What {@code POST /collections/{name}/points/delete} removes: exactly one of the two is non-null. */
    record DeleteSelector(List<PointId> ids, Filter filter) {}

    /** What {@code PUT /collections/{name}/index} creates. */
    record PayloadIndexRequest(String field, PayloadSchema schema) {}

    /** {@code PUT /collections/{name}}: {@code {"vectors":{"size":N,"distance":D},"hnsw_config":{..},"text":{..}}}. */
    CollectionConfig collectionConfig(InputStream body) throws IOException {
        try (JsonParser p = openObject(body)) {
            Integer size = null;
            Distance distance = null;
            HnswConfig hnsw = HnswConfig.DEFAULT;
            TextConfig text = TextConfig.DEFAULT;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "vectors" -> {
                        requireObject(p, "vectors");
                        for (String v; (v = nextField(p)) != null; ) {
                            switch (v) {
                                case "size" -> size = intIn(p, "vectors.size", 1, CollectionConfig.MAX_DIMENSION);
                                case "distance" -> distance = Distance.parse(string(p, "vectors.distance"));
                                default -> throw unknownField("vectors", v);
                            }
                        }
                    }
                    case "hnsw_config" -> hnsw = hnswConfig(p);
                    case "text" -> text = textConfig(p);
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (size == null) {
                throw new IllegalArgumentException("vectors.size is missing");
            }
            if (distance == null) {
                throw new IllegalArgumentException("vectors.distance is missing (one of Cosine, Euclid, Dot)");
            }
            return new CollectionConfig(size, distance, hnsw, text);
        }
    }

    private static HnswConfig hnswConfig(JsonParser p) throws IOException {
        requireObject(p, "hnsw_config");
        int m = HnswConfig.DEFAULT_M;
        int efConstruct = HnswConfig.DEFAULT_EF_CONSTRUCT;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "m" -> m = intIn(p, "hnsw_config.m", Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "ef_construct" -> efConstruct = intIn(p, "hnsw_config.ef_construct", Integer.MIN_VALUE,
                        Integer.MAX_VALUE);
                default -> throw unknownField("hnsw_config", f);
            }
        }
        return new HnswConfig(m, efConstruct);
    }

    private static TextConfig textConfig(JsonParser p) throws IOException {
        requireObject(p, "text");
        TextConfig d = TextConfig.DEFAULT;
        String analyzer = d.analyzer();
        float k1 = d.k1();
        float b = d.b();
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "analyzer" -> analyzer = string(p, "text.analyzer");
                case "k1" -> k1 = finiteFloat(p, "text.k1");
                case "b" -> b = finiteFloat(p, "text.b");
                default -> throw unknownField("text", f);
            }
        }
        return new TextConfig(analyzer, k1, b);
    }

    /**
     * {@code PUT /collections/{name}/points}: {@code {"points":[{"id":..,"vector":[..],"payload":{..},"text":".."}]}},
     * or Qdrant's column form {@code {"batch":{"ids":[..],"vectors":[[..]],"payloads":[{..}]}}}.
     */
    List<Point> upsert(InputStream body, int dimension) throws IOException {
        try (JsonParser p = openObject(body)) {
            List<Point> points = null;
            for (String f; (f = nextField(p)) != null; ) {
                if (points != null) {
                    throw new IllegalArgumentException("give points or batch, not both");
                }
                switch (f) {
                    case "points" -> {
                        if (p.currentToken() != JsonToken.START_ARRAY) {
                            throw new IllegalArgumentException("points must be an array of points, got "
                                    + BodyReader.describe(p));
                        }
                        points = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            points.add(point(p, "points[" + points.size() + "]", dimension));
                        }
                    }
                    case "batch" -> points = batch(p, dimension);
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (points == null) {
                throw new IllegalArgumentException("points is missing (or batch, in Qdrant's column form)");
            }
            return points;
        }
    }

    /** Qdrant's {@code batch}: ids, vectors and optional payloads as parallel arrays. */
    private List<Point> batch(JsonParser p, int dimension) throws IOException {
        requireObject(p, "batch");
        List<PointId> ids = null;
        List<float[]> vectors = null;
        List<Map<String, Object>> payloads = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "ids" -> ids = pointIds(p, "batch.ids");
                case "vectors" -> {
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException("batch.vectors must be an array of vectors, got "
                                + BodyReader.describe(p));
                    }
                    vectors = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        vectors.add(BodyReader.vector(p, "batch.vectors[" + vectors.size() + "]", dimension));
                    }
                }
                case "payloads" -> {
                    if (p.currentToken() == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException("batch.payloads must be an array of objects, got "
                                + BodyReader.describe(p));
                    }
                    payloads = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        payloads.add(reader.payload(p, "batch.payloads[" + payloads.size() + "]"));
                    }
                }
                default -> throw unknownField("batch", f);
            }
        }
        if (ids == null || vectors == null) {
            throw new IllegalArgumentException("batch needs ids and vectors");
        }
        if (vectors.size() != ids.size() || (payloads != null && payloads.size() != ids.size())) {
            throw new IllegalArgumentException("batch has " + ids.size() + " ids, " + vectors.size() + " vectors"
                    + (payloads == null ? "" : " and " + payloads.size() + " payloads") + ": they must be as many");
        }
        List<Point> points = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            float[] v = vectors.get(i);
            int bad = BodyReader.firstNonFinite(v);
            if (bad >= 0) {
                throw new IllegalArgumentException("batch.vectors[" + i + "] (id " + ids.get(i) + "): vector[" + bad
                        + "] is " + v[bad] + ", only finite numbers are allowed");
            }
            points.add(new Point(ids.get(i), v, payloads == null ? null : payloads.get(i), null));
        }
        return points;
    }

    private Point point(JsonParser p, String field, int dimension) throws IOException {
        requireObject(p, field);
        PointId id = null;
        float[] vector = null;
        Map<String, Object> payload = null;
        String text = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "id" -> id = pointId(p, field + ".id");
                case "vector" -> vector = BodyReader.vector(p, field + ".vector", dimension);
                case "payload" -> payload = reader.payload(p, field + ".payload");
                case "text" -> text = BodyReader.nullableString(p, field + ".text");
                default -> throw unknownField(field, f);
            }
        }
        if (id == null) {
            throw new IllegalArgumentException(field + ".id is missing");
        }
        if (vector == null) {
            throw new IllegalArgumentException(field + " (id " + id + "): vector is missing");
        }
        int bad = BodyReader.firstNonFinite(vector);
        if (bad >= 0) {
            throw new IllegalArgumentException(field + " (id " + id + "): vector[" + bad + "] is " + vector[bad]
                    + ", only finite numbers are allowed");
        }
        return new Point(id, vector, payload, text);
    }

    /** {@code POST /collections/{name}/points}: {@code {"ids":[..],"with_vector":false,"with_payload":true}}. */
    PointsLookup pointsLookup(InputStream body) throws IOException {
        try (JsonParser p = openObject(body)) {
            List<PointId> ids = null;
            boolean withVector = false;
            PayloadSelector withPayload = PayloadSelector.ALL;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "ids" -> ids = pointIds(p, "ids");
                    case "with_vector" -> withVector = withVector(p, "with_vector");
                    case "with_payload" -> withPayload = withPayload(p, "with_payload");
                    case "shard_key" -> p.skipChildren();
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (ids == null) {
                throw new IllegalArgumentException("ids is missing");
            }
            return new PointsLookup(ids, withVector, withPayload);
        }
    }

    /** {@code POST /collections/{name}/points/delete}: {@code {"points":[ids..]}} or {@code {"filter":{..}}}. */
    DeleteSelector deleteSelector(InputStream body) throws IOException {
        try (JsonParser p = openObject(body)) {
            List<PointId> ids = null;
            Filter filter = null;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "points" -> ids = pointIds(p, "points");
                    case "filter" -> filter = filter(p);
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if ((ids == null) == (filter == null)) {
                throw new IllegalArgumentException(ids == null
                        ? "points or filter is missing (the ids to delete, or a filter of the points to delete)"
                        : "give points or filter, not both: points deletes by id, filter by payload");
            }
            return new DeleteSelector(ids, filter);
        }
    }

    /** {@code POST /collections/{name}/points/count}: an empty body, {@code {}} or {@code {"filter":{..}}}; null for all. */
    Filter countFilter(InputStream body) throws IOException {
        try (JsonParser p = reader.open(body)) {
            if (p == null) {
                return null;
            }
            requireObject(p, "request body");
            Filter filter = null;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "filter" -> filter = filter(p);
                    case "exact" -> bool(p, "exact"); // every count here is exact
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            return filter;
        }
    }

    /** {@code PUT /collections/{name}/index}: {@code {"field_name":"city","field_schema":"keyword"}}. */
    PayloadIndexRequest payloadIndex(InputStream body) throws IOException {
        try (JsonParser p = openObject(body)) {
            String field = null;
            PayloadSchema schema = null;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "field_name" -> field = fieldName(string(p, "field_name"));
                    case "field_schema" -> schema = PayloadSchema.parse(string(p, "field_schema"));
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (field == null) {
                throw new IllegalArgumentException("field_name is missing (the payload key to index, dotted for nested keys)");
            }
            if (schema == null) {
                throw new IllegalArgumentException("field_schema is missing (one of keyword, integer, float, bool)");
            }
            return new PayloadIndexRequest(field, schema);
        }
    }

    /** A dotted payload key: non-empty segments, bounded length. */
    private static String fieldName(String name) {
        if (name.isEmpty() || name.length() > MAX_FIELD_NAME_LENGTH) {
            throw new IllegalArgumentException("field_name must have 1.." + MAX_FIELD_NAME_LENGTH
                    + " characters, got " + name.length() + ": " + Json.quote(name));
        }
        for (String segment : name.split("\\.", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("field_name must be keys joined by single dots, got " + Json.quote(name));
            }
        }
        return name;
    }

    /** A filter tree ({@code null} for JSON null, meaning none); errors name the path inside it. */
    private Filter filter(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        return FilterParser.parse(reader.tree(p));
    }

    /**
     * {@code POST /collections/{name}/points/search}: a vector, a text or both (hybrid), with an
     * optional filter, paging, params, fusion and explain.
     */
    ParsedSearch search(InputStream body, int dimension) throws IOException {
        try (JsonParser p = openObject(body)) {
            ParsedSearch request = searchObject(p, "", dimension);
            requireEnd(p);
            return request;
        }
    }

    /**
     * {@code POST /collections/{name}/points/search/batch}: {@code {"searches":[search, ...]}},
     * each search as {@link #search} takes it; errors name the search ({@code searches[2].limit}).
     */
    List<ParsedSearch> searchBatch(InputStream body, int dimension) throws IOException {
        try (JsonParser p = openObject(body)) {
            List<ParsedSearch> searches = null;
            for (String f; (f = nextField(p)) != null; ) {
                if (!f.equals("searches")) {
                    throw unknownField("", f);
                }
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException("searches must be an array of search requests, got "
                            + BodyReader.describe(p));
                }
                searches = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (searches.size() == MAX_BATCH) {
                        throw new IllegalArgumentException("searches has more than " + MAX_BATCH + " requests");
                    }
                    String at = "searches[" + searches.size() + "]";
                    requireObject(p, at);
                    searches.add(searchObject(p, at + ".", dimension));
                }
            }
            requireEnd(p);
            if (searches == null) {
                throw new IllegalArgumentException("searches is missing (an array of search requests)");
            }
            return searches;
        }
    }

    /** One search object, the parser on its START_OBJECT; {@code at} prefixes the field names in errors. */
    /** A search and the payload keys its hits carry. */
    record ParsedSearch(SearchRequest request, PayloadSelector payload) {}

    private ParsedSearch searchObject(JsonParser p, String at, int dimension) throws IOException {
        float[] vector = null;
        String text = null;
        Filter filter = null;
        int limit = DEFAULT_LIMIT;
        int offset = 0;
        SearchParams params = SearchParams.DEFAULT;
        Fusion fusion = null;
        PayloadSelector payload = PayloadSelector.ALL;
        boolean withVector = false;
        boolean explain = false;
        Float threshold = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "vector" -> vector = p.currentToken() == JsonToken.VALUE_NULL ? null
                        : BodyReader.vector(p, at + "vector", dimension);
                case "text" -> text = queryText(p, at);
                case "filter" -> filter = filter(p);
                case "limit" -> limit = intIn(p, at + "limit", 1, SearchRequest.MAX_LIMIT);
                case "offset" -> offset = intIn(p, at + "offset", 0, SearchRequest.MAX_LIMIT);
                case "params" -> params = searchParams(p, at);
                case "fusion" -> fusion = fusion(p, at);
                case "with_payload" -> payload = withPayload(p, at + "with_payload");
                case "with_vector" -> withVector = withVector(p, at + "with_vector");
                case "explain" -> explain = bool(p, at + "explain");
                case "score_threshold" -> threshold = p.currentToken() == JsonToken.VALUE_NULL ? null
                        : finiteFloat(p, at + "score_threshold");
                default -> throw unknownField(at.isEmpty() ? "" : at.substring(0, at.length() - 1), f);
            }
        }
        if (vector == null && text == null) {
            throw new IllegalArgumentException(at
                    + "vector and text are both missing: give a vector, a text, or both for a hybrid search");
        }
        if (fusion != null && (vector == null || text == null)) {
            throw new IllegalArgumentException(at + "fusion applies only to a hybrid search (vector and text), this one has "
                    + (vector == null ? "only a text" : "only a vector"));
        }
        if (vector != null) {
            int bad = BodyReader.firstNonFinite(vector);
            if (bad >= 0) {
                throw new IllegalArgumentException(at + "vector[" + bad + "] is " + vector[bad]
                        + ", only finite numbers are allowed");
            }
        }
        return new ParsedSearch(SearchRequest.builder().vector(vector).text(text).filter(filter).limit(limit)
                .offset(offset).params(params).fusion(fusion).withPayload(payload.any()).withVector(withVector)
                .explain(explain).scoreThreshold(threshold).build(), payload);
    }

    /** Qdrant's {@code with_payload}: a bool, a list of keys, or include/exclude. */
    private PayloadSelector withPayload(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return PayloadSelector.of(t == JsonToken.VALUE_TRUE);
        }
        if (t != JsonToken.START_ARRAY && t != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException(field + " must be true or false, a list of payload keys, or "
                    + "{\"include\":[..]} / {\"exclude\":[..]}, got " + BodyReader.describe(p));
        }
        return PayloadSelector.parse(reader.tree(p), field);
    }

    /**
     * Qdrant's {@code with_vector}: a bool, or a list of vector names, of which a point here has
     * one, unnamed ({@code ""}).
     */
    static boolean withVector(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            boolean any = false;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String name = string(p, field + "[]");
                if (!name.isEmpty()) {
                    throw new IllegalArgumentException(field + " names vector " + Json.quote(name) + ", but points here "
                            + "have one unnamed vector (\"\"): use true, or [\"\"]");
                }
                any = true;
            }
            return any;
        }
        return bool(p, field);
    }

    private static String queryText(JsonParser p, String at) throws IOException {
        String text = BodyReader.nullableString(p, at + "text");
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException(at + "text must contain a word to search for, got " + Json.quote(text));
        }
        return text;
    }

    private static SearchParams searchParams(JsonParser p, String at) throws IOException {
        requireObject(p, at + "params");
        int ef = 0;
        boolean exact = false;
        FilterStrategy strategy = FilterStrategy.AUTO;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "hnsw_ef" -> ef = intIn(p, at + "params.hnsw_ef", 1, SearchParams.MAX_EF);
                case "exact" -> exact = bool(p, at + "params.exact");
                case "filter_strategy" -> strategy = FilterStrategy.parse(string(p, at + "params.filter_strategy"));
                default -> throw unknownField(at + "params", f);
            }
        }
        return new SearchParams(ef, exact, strategy);
    }

    /** {@code {"method":"rrf","k":60}} or {@code {"method":"weighted","alpha":0.5}}. */
    private static Fusion fusion(JsonParser p, String at) throws IOException {
        requireObject(p, at + "fusion");
        String method = null;
        Integer k = null;
        Float alpha = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "method" -> method = string(p, at + "fusion.method");
                case "k" -> k = intIn(p, at + "fusion.k", 1, MAX_RRF_K);
                case "alpha" -> {
                    float a = finiteFloat(p, at + "fusion.alpha");
                    if (a < 0 || a > 1) {
                        throw new IllegalArgumentException(at + "fusion.alpha must be in 0..1, got " + p.getText());
                    }
                    alpha = a;
                }
                default -> throw unknownField(at + "fusion", f);
            }
        }
        if (method == null) {
            throw new IllegalArgumentException(at + "fusion.method is missing (rrf or weighted)");
        }
        switch (method) {
            case "rrf" -> {
                if (alpha != null) {
                    throw new IllegalArgumentException(at + "fusion.alpha belongs to method 'weighted', not 'rrf' (which takes k)");
                }
                return Fusion.rrf(k == null ? Fusion.DEFAULT_RRF_K : k);
            }
            case "weighted" -> {
                if (k != null) {
                    throw new IllegalArgumentException(at + "fusion.k belongs to method 'rrf', not 'weighted' (which takes alpha)");
                }
                return Fusion.weighted(alpha == null ? Fusion.DEFAULT_ALPHA : alpha);
            }
            default -> throw new IllegalArgumentException(at + "fusion.method must be rrf or weighted, got " + Json.quote(method));
        }
    }

    private JsonParser openObject(InputStream body) throws IOException {
        JsonParser p = reader.open(body);
        if (p == null) {
            throw new IllegalArgumentException("request body must be a JSON object, got an empty body");
        }
        try {
            requireObject(p, "request body");
        } catch (IllegalArgumentException e) {
            p.close();
            throw e;
        }
        return p;
    }
}
