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
    /** Longest payload index field name (a dotted key) accepted. */
    static final int MAX_FIELD_NAME_LENGTH = 256;

    private final BodyReader reader;

    RequestParser(ObjectMapper mapper) {
        this.reader = new BodyReader(mapper);
    }

    /** What {@code POST /collections/{name}/points} asks for. */
    record PointsLookup(List<PointId> ids, boolean withVector, boolean withPayload) {}

    /** What {@code POST /collections/{name}/points/delete} removes: exactly one of the two is non-null. */
    record DeleteSelector(List<PointId> ids, Filter filter) {}

    /** What {@code PUT /collections/{name}/index} creates. */
    record PayloadIndexRequest(String field, PayloadSchema schema) {}

    /** What {@code PUT /collections/{name}} creates: a config, and shards and replicas (1 and 1 unless given). */
    record CollectionCreation(CollectionConfig config, int shardNumber, int replicationFactor) {}

    /**
     * {@code PUT /collections/{name}}: {@code {"vectors":{"size":N,"distance":D},"hnsw_config":{..},"text":{..},
     * "shard_number":S,"replication_factor":R}}.
     */
    CollectionCreation collectionConfig(InputStream body) throws IOException {
        try (JsonParser p = openObject(body)) {
            Integer size = null;
            Distance distance = null;
            HnswConfig hnsw = HnswConfig.DEFAULT;
            TextConfig text = TextConfig.DEFAULT;
            int shards = 1;
            int replicas = 1;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "shard_number" -> shards = intIn(p, "shard_number", 1, 1024);
                    case "replication_factor" -> replicas = intIn(p, "replication_factor", 1, 1024);
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
            return new CollectionCreation(new CollectionConfig(size, distance, hnsw, text), shards, replicas);
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

    /** {@code PUT /collections/{name}/points}: {@code {"points":[{"id":..,"vector":[..],"payload":{..},"text":".."}]}}. */
    List<Point> upsert(InputStream body, int dimension) throws IOException {
        try (JsonParser p = openObject(body)) {
            List<Point> points = null;
            for (String f; (f = nextField(p)) != null; ) {
                if (!f.equals("points")) {
                    throw unknownField("", f);
                }
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException("points must be an array of points, got " + BodyReader.describe(p));
                }
                points = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    points.add(point(p, "points[" + points.size() + "]", dimension));
                }
            }
            requireEnd(p);
            if (points == null) {
                throw new IllegalArgumentException("points is missing");
            }
            return points;
        }
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
            boolean withPayload = true;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "ids" -> ids = pointIds(p, "ids");
                    case "with_vector" -> withVector = bool(p, "with_vector");
                    case "with_payload" -> withPayload = bool(p, "with_payload");
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
                if (!f.equals("filter")) {
                    throw unknownField("", f);
                }
                filter = filter(p);
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
    SearchRequest search(InputStream body, int dimension) throws IOException {
        try (JsonParser p = openObject(body)) {
            float[] vector = null;
            String text = null;
            Filter filter = null;
            int limit = DEFAULT_LIMIT;
            int offset = 0;
            SearchParams params = SearchParams.DEFAULT;
            Fusion fusion = null;
            boolean withPayload = true;
            boolean withVector = false;
            boolean explain = false;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "vector" -> vector = p.currentToken() == JsonToken.VALUE_NULL ? null
                            : BodyReader.vector(p, "vector", dimension);
                    case "text" -> text = queryText(p);
                    case "filter" -> filter = filter(p);
                    case "limit" -> limit = intIn(p, "limit", 1, SearchRequest.MAX_LIMIT);
                    case "offset" -> offset = intIn(p, "offset", 0, SearchRequest.MAX_LIMIT);
                    case "params" -> params = searchParams(p);
                    case "fusion" -> fusion = fusion(p);
                    case "with_payload" -> withPayload = bool(p, "with_payload");
                    case "with_vector" -> withVector = bool(p, "with_vector");
                    case "explain" -> explain = bool(p, "explain");
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (vector == null && text == null) {
                throw new IllegalArgumentException(
                        "vector and text are both missing: give a vector, a text, or both for a hybrid search");
            }
            if (fusion != null && (vector == null || text == null)) {
                throw new IllegalArgumentException("fusion applies only to a hybrid search (vector and text), this one has "
                        + (vector == null ? "only a text" : "only a vector"));
            }
            if (vector != null) {
                int bad = BodyReader.firstNonFinite(vector);
                if (bad >= 0) {
                    throw new IllegalArgumentException("vector[" + bad + "] is " + vector[bad]
                            + ", only finite numbers are allowed");
                }
            }
            return SearchRequest.builder().vector(vector).text(text).filter(filter).limit(limit).offset(offset).params(params).fusion(fusion).withPayload(withPayload).withVector(withVector).explain(explain).build();
        }
    }

    private static String queryText(JsonParser p) throws IOException {
        String text = BodyReader.nullableString(p, "text");
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException("text must contain a word to search for, got " + Json.quote(text));
        }
        return text;
    }

    private static SearchParams searchParams(JsonParser p) throws IOException {
        requireObject(p, "params");
        int ef = 0;
        boolean exact = false;
        FilterStrategy strategy = FilterStrategy.AUTO;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "hnsw_ef" -> ef = intIn(p, "params.hnsw_ef", 1, SearchParams.MAX_EF);
                case "exact" -> exact = bool(p, "params.exact");
                case "filter_strategy" -> strategy = FilterStrategy.parse(string(p, "params.filter_strategy"));
                default -> throw unknownField("params", f);
            }
        }
        return new SearchParams(ef, exact, strategy);
    }

    /** {@code {"method":"rrf","k":60}} or {@code {"method":"weighted","alpha":0.5}}. */
    private static Fusion fusion(JsonParser p) throws IOException {
        requireObject(p, "fusion");
        String method = null;
        Integer k = null;
        Float alpha = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "method" -> method = string(p, "fusion.method");
                case "k" -> k = intIn(p, "fusion.k", 1, MAX_RRF_K);
                case "alpha" -> {
                    float a = finiteFloat(p, "fusion.alpha");
                    if (a < 0 || a > 1) {
                        throw new IllegalArgumentException("fusion.alpha must be in 0..1, got " + p.getText());
                    }
                    alpha = a;
                }
                default -> throw unknownField("fusion", f);
            }
        }
        if (method == null) {
            throw new IllegalArgumentException("fusion.method is missing (rrf or weighted)");
        }
        switch (method) {
            case "rrf" -> {
                if (alpha != null) {
                    throw new IllegalArgumentException("fusion.alpha belongs to method 'weighted', not 'rrf' (which takes k)");
                }
                return Fusion.rrf(k == null ? Fusion.DEFAULT_RRF_K : k);
            }
            case "weighted" -> {
                if (k != null) {
                    throw new IllegalArgumentException("fusion.k belongs to method 'rrf', not 'weighted' (which takes alpha)");
                }
                return Fusion.weighted(alpha == null ? Fusion.DEFAULT_ALPHA : alpha);
            }
            default -> throw new IllegalArgumentException("fusion.method must be rrf or weighted, got " + Json.quote(method));
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
