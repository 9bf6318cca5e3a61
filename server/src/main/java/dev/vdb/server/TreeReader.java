package dev.vdb.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.FilterParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads from a parsed JSON body (a tree), for the Qdrant-shaped requests whose fields take
 * several forms (an id or a vector, a bool or a list). Each failure is an
 * {@link IllegalArgumentException} naming the field by its path and the bad value; unknown fields
 * are rejected. Stateless and thread-safe.
 */
final class TreeReader {
    private final ObjectMapper mapper;

    TreeReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The body as an object; 400 for an empty body or another JSON value. */
    ObjectNode object(InputStream body) throws IOException {
        JsonNode node = mapper.readTree(body);
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("request body must be a JSON object, got an empty body");
        }
        return object(node, "request body");
    }

    static ObjectNode object(JsonNode node, String field) {
        if (!(node instanceof ObjectNode o)) {
            throw new IllegalArgumentException(field + " must be a JSON object, got " + show(node));
        }
        return o;
    }

    /** Rejects fields outside {@code known}; {@code at} is the object's path prefix ("" or "x."). */
    static void onlyFields(ObjectNode node, String at, Set<String> known) {
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException((at.isEmpty() ? "" : at.substring(0, at.length() - 1) + ": ")
                        + "unknown field " + Json.quote(name));
            }
        }
    }

    /** A field's value, null when absent or JSON null. */
    static JsonNode get(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    static int intIn(JsonNode v, String field, int min, int max) {
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be an integer, got " + show(v));
        }
        if (!v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw new IllegalArgumentException(field + " must be in " + min + ".." + max + ", got " + v.asText());
        }
        return v.intValue();
    }

    static boolean bool(JsonNode v, String field) {
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false, got " + show(v));
        }
        return v.booleanValue();
    }

    static String string(JsonNode v, String field) {
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, got " + show(v));
        }
        return v.asText();
    }

    static float finiteFloat(JsonNode v, String field) {
        if (v == null || !v.isNumber() || !Float.isFinite(v.floatValue())) {
            throw new IllegalArgumentException(field + " must be a finite number, got " + show(v));
        }
        return v.floatValue();
    }

    static boolean isPointId(JsonNode v) {
        return v != null && (v.isTextual() || v.isIntegralNumber());
    }

    static PointId pointId(JsonNode v, String field) {
        if (v != null && v.isIntegralNumber()) {
            if (!v.canConvertToLong() || v.longValue() < 0) {
                throw new IllegalArgumentException(field + " must be a non-negative 64-bit integer or a string, got "
                        + v.asText());
            }
            return PointId.of(v.longValue());
        }
        if (v != null && v.isTextual()) {
            return BodyReader.stringId(v.asText(), field);
        }
        throw new IllegalArgumentException(field + " must be a non-negative integer or a string, got " + show(v));
    }

    static List<PointId> pointIds(JsonNode v, String field) {
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of point ids, got " + show(v));
        }
        List<PointId> ids = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            ids.add(pointId(v.get(i), field + "[" + i + "]"));
        }
        return ids;
    }

    /**
     * {@code vector}'s value, exactly its dimension's finite numbers: an array, or Qdrant's named
     * forms, {@code {"dense":[..]}} (a point's vectors by name; {@code ""} for the unnamed one) and
     * {@code {"name":"dense","vector":[..]}} (a search's named vector), whose name must be the
     * collection's.
     */
    static float[] vector(JsonNode v, String field, CollectionVector vector) {
        int dimension = vector.dimension();
        if (v != null && v.isObject()) {
            if (v.size() == 2 && v.path("name").isTextual() && v.path("vector").isArray()) {
                vector.requireName(v.get("name").asText(), field + ".name");
                v = v.get("vector");
            } else if (v.size() == 1) {
                String name = v.fieldNames().next();
                vector.requireName(name, field);
                v = v.get(name);
            }
        }
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of numbers, got " + show(v));
        }
        if (v.size() != dimension) {
            throw new IllegalArgumentException(field + " has " + v.size() + " elements, the collection's vectors.size is "
                    + dimension);
        }
        float[] out = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            out[i] = finiteFloat(v.get(i), field + "[" + i + "]");
        }
        return out;
    }

    static boolean isVector(JsonNode v) {
        return v != null && v.isArray() && (v.isEmpty() || v.get(0).isNumber());
    }

    /** A filter tree, or null when absent. */
    static Filter filter(ObjectNode node, String field) {
        JsonNode f = get(node, field);
        return f == null ? null : FilterParser.parse(f);
    }

    /** A payload object with finite numbers, as a map. */
    Map<String, Object> payload(JsonNode v, String field) {
        ObjectNode o = object(v, field);
        requireFiniteNumbers(o, field);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = mapper.convertValue(o, Map.class);
        return map;
    }

    private static void requireFiniteNumbers(JsonNode node, String path) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw new IllegalArgumentException(path + " must be a finite number, got " + node.asText());
        }
        if (node.isObject()) {
            node.properties().forEach(e -> requireFiniteNumbers(e.getValue(), path + "." + e.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireFiniteNumbers(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /** Refuses Qdrant's {@code shard_key}: a collection here has one shard. */
    static void noShardKey(ObjectNode b, String at) {
        if (get(b, "shard_key") != null) {
            throw new IllegalArgumentException(at + "shard_key is not supported: a vdb collection has one shard");
        }
    }

    /** Qdrant's {@code with_payload} field of {@code b}, or {@code absent} when it has none. */
    static PayloadSelector payloadSelector(ObjectNode b, String at, PayloadSelector absent) {
        JsonNode v = get(b, "with_payload");
        return v == null ? absent : PayloadSelector.parse(v, at + "with_payload");
    }

    /** Qdrant's {@code with_vector}: a bool, or a list naming the one vector ({@code vector}'s name). */
    static boolean withVector(ObjectNode b, String at, CollectionVector vector) {
        JsonNode v = get(b, "with_vector");
        if (v == null) {
            return false;
        }
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                vector.requireName(TreeReader.string(v.get(i), at + "with_vector[" + i + "]"), at + "with_vector");
            }
            return !v.isEmpty();
        }
        return TreeReader.bool(v, at + "with_vector");
    }

    /** A value for an error message. */
    static String show(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        String text = v.toString();
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
