package dev.vdb.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.FilterParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads from a streaming {@link JsonParser} positioned on a value, each failing with an
 * {@link IllegalArgumentException} that names the field (as a JSON path such as
 * {@code points[3].vector}) and the offending value. Floats go straight into {@code float[]}.
 * Stateless and thread-safe; allocates only the values it returns.
 */
final class BodyReader {
    private final ObjectMapper mapper;

    BodyReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Opens a body and moves to its first token; null when the body is empty. */
    JsonParser open(InputStream body) throws IOException {
        JsonParser p = mapper.getFactory().createParser(body);
        if (p.nextToken() == null) {
            p.close();
            return null;
        }
        return p;
    }

    /** Opens a body that must be a JSON object, the parser on its START_OBJECT. */
    JsonParser openObject(InputStream body) throws IOException {
        JsonParser p = open(body);
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

    /** A filter tree ({@code null} for JSON null, meaning none); errors name the path inside it. */
    Filter filter(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        return FilterParser.parse(tree(p));
    }

    /** Qdrant's {@code with_payload}: a bool, a list of keys, or include/exclude. */
    PayloadSelector withPayload(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return PayloadSelector.of(t == JsonToken.VALUE_TRUE);
        }
        if (t != JsonToken.START_ARRAY && t != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException(field + " must be true or false, a list of payload keys, or "
                    + "{\"include\":[..]} / {\"exclude\":[..]}, got " + describe(p));
        }
        return PayloadSelector.parse(tree(p), field);
    }

    /**
     * Qdrant's {@code with_vector}: a bool, or a list of vector names, of which a point here has
     * one ({@code vector}'s).
     */
    static boolean withVector(JsonParser p, String field, CollectionVector vector) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            boolean any = false;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                vector.requireName(string(p, field + "[]"), field);
                any = true;
            }
            return any;
        }
        return bool(p, field);
    }

    /** Requires the current token to start an object (the request body or a nested field). */
    static void requireObject(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException(field + " must be a JSON object, got " + describe(p));
        }
    }

    /** Moves to the next field of the current object; its name, or null at the object's end. */
    static String nextField(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.FIELD_NAME) {
            return null;
        }
        String name = p.currentName();
        p.nextToken();
        return name;
    }

    /** Requires that nothing follows the body's top-level object. */
    static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new IllegalArgumentException("request body has content after its JSON object: " + describe(p));
        }
    }

    static IllegalArgumentException unknownField(String parent, String name) {
        return new IllegalArgumentException((parent.isEmpty() ? "" : parent + ": ")
                + "unknown field " + Json.quote(name));
    }

    static int intIn(JsonParser p, String field, int min, int max) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException(field + " must be an integer, got " + describe(p));
        }
        if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < min || p.getIntValue() > max) {
            throw new IllegalArgumentException(field + " must be in " + min + ".." + max + ", got " + p.getText());
        }
        return p.getIntValue();
    }

    static float finiteFloat(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IllegalArgumentException(field + " must be a number, got " + describe(p));
        }
        float f = p.getFloatValue();
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException(field + " must be a finite number, got " + p.getText());
        }
        return f;
    }

    static boolean bool(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw new IllegalArgumentException(field + " must be true or false, got " + describe(p));
        }
        return t == JsonToken.VALUE_TRUE;
    }

    static String string(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + " must be a string, got " + describe(p));
        }
        return p.getText();
    }

    static String nullableString(JsonParser p, String field) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : string(p, field);
    }

    static PointId pointId(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw new IllegalArgumentException(field + " must be a non-negative 64-bit integer or a string, got "
                        + p.getText());
            }
            return PointId.of(p.getLongValue());
        }
        if (t == JsonToken.VALUE_STRING) {
            return stringId(p.getText(), field);
        }
        throw new IllegalArgumentException(field + " must be a non-negative integer or a string, got " + describe(p));
    }

    static PointId stringId(String id, String field) {
        try {
            return PointId.of(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    static List<PointId> pointIds(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException(field + " must be an array of point ids, got " + describe(p));
        }
        List<PointId> ids = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            ids.add(pointId(p, field + "[" + ids.size() + "]"));
        }
        return ids;
    }

    /**
     * Reads {@code vector}'s value into a new array: an array of exactly its dimension's numbers,
     * or Qdrant's named forms ({@code {"dense":[..]}}, {@code {"name":"dense","vector":[..]}};
     * {@link TreeReader#vector}). Values of an array are not yet checked for finiteness (see
     * {@link #firstNonFinite}) so that the caller can name the point they belong to, whose id may
     * come later in the object.
     */
    static float[] vector(JsonParser p, String field, CollectionVector vector) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            return TreeReader.vector(p.readValueAsTree(), field, vector);
        }
        int dimension = vector.dimension();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException(field + " must be an array of numbers, got " + describe(p));
        }
        float[] v = new float[dimension];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new IllegalArgumentException(field + "[" + n + "] must be a number, got " + describe(p));
            }
            if (n == dimension) {
                throw new IllegalArgumentException(field + " has more than " + dimension
                        + " elements, the collection's vectors.size");
            }
            v[n++] = p.getFloatValue();
        }
        if (n != dimension) {
            throw new IllegalArgumentException(field + " has " + n + " elements, the collection's vectors.size is "
                    + dimension);
        }
        return v;
    }

    /** Index of the first NaN or infinite element, or -1. */
    static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The current value and everything inside it as a tree. */
    JsonNode tree(JsonParser p) throws IOException {
        return mapper.readTree(p);
    }

    /** The current value for an error message: its (shortened) text or its kind. */
    static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + Json.quote(p.getText());
            case VALUE_NULL -> "null";
            case FIELD_NAME -> "field " + Json.quote(p.currentName());
            default -> p.getText().length() > 64 ? p.getText().substring(0, 64) + "..." : p.getText();
        };
    }
}
