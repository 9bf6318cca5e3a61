package dev.vdb.server;

import static dev.vdb.server.BodyReader.bool;
import static dev.vdb.server.BodyReader.finiteFloat;
import static dev.vdb.server.BodyReader.intIn;
import static dev.vdb.server.BodyReader.nextField;
import static dev.vdb.server.BodyReader.notSupportedYet;
import static dev.vdb.server.BodyReader.pointId;
import static dev.vdb.server.BodyReader.pointIds;
import static dev.vdb.server.BodyReader.requireEnd;
import static dev.vdb.server.BodyReader.requireObject;
import static dev.vdb.server.BodyReader.string;
import static dev.vdb.server.BodyReader.unknownField;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.TextConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses request bodies of the HTTP contract with Jackson's streaming parser into engine
 * types. Unknown fields are rejected (400 naming the field), so a misspelt option never goes
 * unnoticed; fields the contract defines for later features (filters, full text) are rejected
 * as not supported yet. Thread-safe; allocates the parsed values only (vectors go straight
 * into {@code float[]}).
 */
final class RequestParser {
    /** Results returned by search when the request gives no {@code limit}. */
    static final int DEFAULT_LIMIT = 10;

    private final BodyReader reader;

    RequestParser(ObjectMapper mapper) {
        this.reader = new BodyReader(mapper);
    }

    /** What {@code POST /collections/{name}/points} asks for. */
    record PointsLookup(List<PointId> ids, boolean withVector, boolean withPayload) {}

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
        ObjectNode payload = null;
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

    /** {@code POST /collections/{name}/points/delete}: {@code {"points":[ids..]}}. */
    List<PointId> deleteIds(InputStream body) throws IOException {
        try (JsonParser p = openObject(body)) {
            List<PointId> ids = null;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "points" -> ids = pointIds(p, "points");
                    case "filter" -> throw notSupportedYet("filter");
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (ids == null) {
                throw new IllegalArgumentException("points is missing (the ids to delete)");
            }
            return ids;
        }
    }

    /** {@code POST /collections/{name}/points/count}: an empty body or {@code {}}. */
    void count(InputStream body) throws IOException {
        try (JsonParser p = reader.open(body)) {
            if (p == null) {
                return;
            }
            requireObject(p, "request body");
            String f = nextField(p);
            if (f != null) {
                throw f.equals("filter") ? notSupportedYet("filter") : unknownField("", f);
            }
            requireEnd(p);
        }
    }

    /** {@code POST /collections/{name}/points/search} with a vector. */
    SearchRequest search(InputStream body, int dimension) throws IOException {
        try (JsonParser p = openObject(body)) {
            float[] vector = null;
            int limit = DEFAULT_LIMIT;
            int offset = 0;
            SearchParams params = SearchParams.DEFAULT;
            boolean withPayload = true;
            boolean withVector = false;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "vector" -> vector = BodyReader.vector(p, "vector", dimension);
                    case "limit" -> limit = intIn(p, "limit", 1, SearchRequest.MAX_LIMIT);
                    case "offset" -> offset = intIn(p, "offset", 0, SearchRequest.MAX_LIMIT);
                    case "params" -> params = searchParams(p);
                    case "with_payload" -> withPayload = bool(p, "with_payload");
                    case "with_vector" -> withVector = bool(p, "with_vector");
                    case "text", "filter", "fusion", "explain" -> throw notSupportedYet(f);
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (vector == null) {
                throw new IllegalArgumentException("vector is missing");
            }
            int bad = BodyReader.firstNonFinite(vector);
            if (bad >= 0) {
                throw new IllegalArgumentException("vector[" + bad + "] is " + vector[bad]
                        + ", only finite numbers are allowed");
            }
            return new SearchRequest(vector, limit, offset, params, withPayload, withVector);
        }
    }

    private static SearchParams searchParams(JsonParser p) throws IOException {
        requireObject(p, "params");
        int ef = 0;
        boolean exact = false;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "hnsw_ef" -> ef = intIn(p, "params.hnsw_ef", 1, SearchParams.MAX_EF);
                case "exact" -> exact = bool(p, "params.exact");
                case "filter_strategy" -> {
                    // Meaningful only with a filter; validated so a typo is still reported.
                    String strategy = string(p, "params.filter_strategy");
                    if (!strategy.equals("auto") && !strategy.equals("pre") && !strategy.equals("post")) {
                        throw new IllegalArgumentException(
                                "params.filter_strategy must be one of auto, pre, post, got " + Json.quote(strategy));
                    }
                }
                default -> throw unknownField("params", f);
            }
        }
        return new SearchParams(ef, exact);
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
