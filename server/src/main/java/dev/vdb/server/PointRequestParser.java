package dev.vdb.server;

import static dev.vdb.server.BodyReader.bool;
import static dev.vdb.server.BodyReader.nextField;
import static dev.vdb.server.BodyReader.pointId;
import static dev.vdb.server.BodyReader.pointIds;
import static dev.vdb.server.BodyReader.requireEnd;
import static dev.vdb.server.BodyReader.requireObject;
import static dev.vdb.server.BodyReader.unknownField;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses the contract's point bodies (upsert in both of Qdrant's forms, lookup by ids, delete,
 * count) with Jackson's streaming parser: vectors straight into {@code float[]}, payloads through
 * a bounded {@link PayloadReader}, filters handed to the engine's parser. Unknown fields are a 400
 * naming the field. Thread-safe; allocates the parsed values only.
 */
final class PointRequestParser {
    private final BodyReader reader;
    private final PayloadReader payloadReader;

    PointRequestParser(ObjectMapper mapper, int maxPayloadBytes) {
        this.reader = new BodyReader(mapper);
        this.payloadReader = new PayloadReader(maxPayloadBytes);
    }

    /** What {@code POST /collections/{name}/points} asks for. */
    record PointsLookup(List<PointId> ids, boolean withVector, PayloadSelector withPayload) {}

    /** What {@code POST /collections/{name}/points/delete} removes: exactly one of the two is non-null. */
    record DeleteSelector(List<PointId> ids, Filter filter) {}

    /**
     * {@code PUT /collections/{name}/points}: {@code {"points":[{"id":..,"vector":[..],"payload":{..},"text":".."}]}},
     * or Qdrant's column form {@code {"batch":{"ids":[..],"vectors":[[..]],"payloads":[{..}]}}}.
     */
    List<Point> upsert(InputStream body, CollectionVector collectionVector) throws IOException {
        try (JsonParser p = reader.openObject(body)) {
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
                            points.add(point(p, "points[" + points.size() + "]", collectionVector));
                        }
                    }
                    case "batch" -> points = batch(p, collectionVector);
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
    private List<Point> batch(JsonParser p, CollectionVector collectionVector) throws IOException {
        requireObject(p, "batch");
        List<PointId> ids = null;
        List<float[]> vectors = null;
        List<Map<String, Object>> payloads = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "ids" -> ids = pointIds(p, "batch.ids");
                case "vectors" -> vectors = batchVectors(p, collectionVector);
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
                        payloads.add(payloadReader.read(p, "batch.payloads[" + payloads.size() + "]"));
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
            if (payloads != null && payloads.get(i) == PayloadReader.OVERSIZED) {
                throw payloadReader.oversized("batch.payloads[" + i + "]", ids.get(i));
            }
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

    /**
     * {@code batch.vectors}: an array of vectors, or Qdrant's named form {@code {"dense":[[..], ..]}}
     * for the collection's vector.
     */
    private static List<float[]> batchVectors(JsonParser p, CollectionVector collectionVector) throws IOException {
        String field = "batch.vectors";
        if (p.currentToken() == JsonToken.START_OBJECT) {
            String name = nextField(p);
            if (name == null) {
                throw new IllegalArgumentException(field + " names no vector: give an array of vectors");
            }
            collectionVector.requireName(name, field);
            field = field + "." + name;
            List<float[]> vectors = arrayOfVectors(p, field, collectionVector);
            if (nextField(p) != null) {
                throw new IllegalArgumentException("batch.vectors names more than one vector: points here have "
                        + collectionVector.describe());
            }
            return vectors;
        }
        return arrayOfVectors(p, field, collectionVector);
    }

    private static List<float[]> arrayOfVectors(JsonParser p, String field, CollectionVector collectionVector)
            throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException(field + " must be an array of vectors, got " + BodyReader.describe(p));
        }
        List<float[]> vectors = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            vectors.add(BodyReader.vector(p, field + "[" + vectors.size() + "]", collectionVector));
        }
        return vectors;
    }

    private Point point(JsonParser p, String field, CollectionVector collectionVector) throws IOException {
        requireObject(p, field);
        PointId id = null;
        float[] vector = null;
        Map<String, Object> payload = null;
        String text = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "id" -> id = pointId(p, field + ".id");
                case "vector" -> vector = BodyReader.vector(p, field + ".vector", collectionVector);
                case "payload" -> payload = payloadReader.read(p, field + ".payload");
                case "text" -> text = BodyReader.nullableString(p, field + ".text");
                default -> throw unknownField(field, f);
            }
        }
        if (id == null) {
            throw new IllegalArgumentException(field + ".id is missing");
        }
        if (payload == PayloadReader.OVERSIZED) {
            throw payloadReader.oversized(field + ".payload", id);
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
    PointsLookup pointsLookup(InputStream body, CollectionVector collectionVector) throws IOException {
        try (JsonParser p = reader.openObject(body)) {
            List<PointId> ids = null;
            boolean withVector = false;
            PayloadSelector withPayload = PayloadSelector.ALL;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "ids" -> ids = pointIds(p, "ids");
                    case "with_vector" -> withVector = BodyReader.withVector(p, "with_vector", collectionVector);
                    case "with_payload" -> withPayload = reader.withPayload(p, "with_payload");
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
        try (JsonParser p = reader.openObject(body)) {
            List<PointId> ids = null;
            Filter filter = null;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "points" -> ids = pointIds(p, "points");
                    case "filter" -> filter = reader.filter(p);
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
                    case "filter" -> filter = reader.filter(p);
                    case "exact" -> bool(p, "exact"); // every count here is exact
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            return filter;
        }
    }
}
