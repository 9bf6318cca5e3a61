package dev.vdb.engine.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.DateTimes;
import dev.vdb.engine.filter.Filter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Evaluates a {@link Filter} directly on one point's id and payload: the definition of what a
 * filter means, and the oracle that indexed evaluation is tested against. Stateless and
 * thread-safe; allocates only while walking arrays.
 */
public final class PayloadMatcher {

    private PayloadMatcher() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether {@code filter} matches a point with this id and payload (a map of JSON values). */
    public static boolean matches(Filter filter, PointId id, Map<String, ?> payload) {
        return matches(filter, id, payload == null ? null : (ObjectNode) JSON.valueToTree(payload));
    }

    public static boolean matches(Filter filter, PointId id, ObjectNode payload) {
        return switch (filter) {
            case Filter.Bool b -> matchesBool(b, id, payload);
            case Filter.HasId h -> h.ids().contains(id);
            case Filter.IsEmpty e -> isEmpty(payload, e.key());
            case Filter.IsNull n -> isNull(payload, path(n.key()), 0);
            case Filter.MatchValue m -> anyValue(payload, m.key(), v -> leafMatches(m, v));
            case Filter.MatchAny m -> anyValue(payload, m.key(), v -> leafMatches(m, v));
            case Filter.MatchExcept m -> anyValue(payload, m.key(), v -> leafMatches(m, v));
            case Filter.MatchText m -> anyValue(payload, m.key(), v -> leafMatches(m, v));
            case Filter.MatchTextAny m -> anyValue(payload, m.key(), v -> leafMatches(m, v));
            case Filter.MatchPrefix m -> anyValue(payload, m.key(), v -> leafMatches(m, v));
            case Filter.Range r -> anyValue(payload, r.key(), v -> leafMatches(r, v));
            case Filter.KeywordRange r -> anyValue(payload, r.key(), v -> leafMatches(r, v));
            case Filter.DatetimeRange r -> anyValue(payload, r.key(), v -> leafMatches(r, v));
            case Filter.ValuesCount c -> valuesCount(payload, c);
            case Filter.MinShould m -> minShould(m, id, payload);
            case Filter.Nested n -> anyValue(payload, n.key(),
                    v -> v.isObject() && matches(n.filter(), id, (ObjectNode) v));
            case Filter.Geo g -> anyValue(payload, g.key(), v -> leafMatches(g, v));
        };
    }

    /**
     * Whether one leaf value satisfies a field condition (match value / any / except, range):
     * the condition holds for a payload when some leaf at its key does.
     */
    public static boolean leafMatches(Filter condition, JsonNode leaf) {
        return switch (condition) {
            case Filter.MatchValue m -> sameScalar(leaf, m.value());
            case Filter.MatchAny m -> containsScalar(m.values(), leaf);
            case Filter.MatchExcept m -> isScalar(leaf) && !containsScalar(m.values(), leaf);
            case Filter.MatchText m -> leaf.isTextual() && leaf.textValue().contains(m.text());
            case Filter.MatchTextAny m -> leaf.isTextual() && m.wordList().stream().anyMatch(leaf.textValue()::contains);
            case Filter.MatchPrefix m -> leaf.isTextual() && leaf.textValue().startsWith(m.prefix());
            case Filter.Range r -> leaf.isNumber() && r.contains(leaf.doubleValue());
            case Filter.KeywordRange r -> leaf.isTextual() && r.contains(leaf.textValue());
            case Filter.DatetimeRange r -> datetimeIn(r, leaf);
            case Filter.Geo g -> isGeoPoint(leaf) && g.contains(leaf.get("lat").doubleValue(), leaf.get("lon").doubleValue());
            default -> throw new IllegalArgumentException("not a field condition: " + condition);
        };
    }

    private static boolean matchesBool(Filter.Bool b, PointId id, ObjectNode payload) {
        for (Filter f : b.must()) {
            if (!matches(f, id, payload)) {
                return false;
            }
        }
        for (Filter f : b.mustNot()) {
            if (matches(f, id, payload)) {
                return false;
            }
        }
        if (b.should().isEmpty()) {
            return true;
        }
        for (Filter f : b.should()) {
            if (matches(f, id, payload)) {
                return true;
            }
        }
        return false;
    }

    /** An object with numbers {@code lat} and {@code lon}: what geo conditions and indexes read. */
    public static boolean isGeoPoint(JsonNode leaf) {
        return leaf.isObject() && leaf.path("lat").isNumber() && leaf.path("lon").isNumber();
    }

    private static boolean datetimeIn(Filter.DatetimeRange r, JsonNode leaf) {
        Long micros = leaf.isTextual() ? DateTimes.parseMicros(leaf.textValue()) : null;
        return micros != null && r.contains(micros);
    }

    private static boolean minShould(Filter.MinShould m, PointId id, ObjectNode payload) {
        int held = 0;
        for (Filter f : m.conditions()) {
            if (held >= m.minCount()) {
                break;
            }
            if (matches(f, id, payload)) {
                held++;
            }
        }
        return held >= m.minCount();
    }

    /**
     * As Qdrant counts: each value the key reaches (arrays on the way walked, the last one kept
     * whole) counts its elements if an array, 0 if null, else 1; the condition holds when one of
     * those counts is in the range, or, when the key reaches nothing, when 0 is.
     */
    private static boolean valuesCount(ObjectNode payload, Filter.ValuesCount c) {
        boolean[] reached = {false};
        boolean held = valuesAt(payload, path(c.key()), 0, v -> {
            reached[0] = true;
            return c.contains(v.isNull() ? 0 : v.isArray() ? v.size() : 1);
        });
        return held || (!reached[0] && c.contains(0));
    }

    /**
     * The values the dotted {@code key} reaches, as Qdrant reads a formula's variables: arrays on
     * the way walked, the value at the end kept as it is (an array or null too).
     */
    public static List<JsonNode> valuesAt(JsonNode payload, String key) {
        List<JsonNode> out = new java.util.ArrayList<>();
        valuesAt(payload, path(key), 0, v -> {
            out.add(v);
            return false;
        });
        return out;
    }

    /** Like {@link #walk}, but the value at the end of the path is tested as it is, an array or null too. */
    private static boolean valuesAt(JsonNode node, String[] parts, int depth, Predicate<JsonNode> test) {
        if (node == null || node.isMissingNode()) {
            return false;
        }
        if (depth == parts.length) {
            return test.test(node);
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (valuesAt(element, parts, depth, test)) {
                    return true;
                }
            }
            return false;
        }
        return node.isObject() && valuesAt(node.get(parts[depth]), parts, depth + 1, test);
    }

    /**
     * The segments of a dotted key; a segment's trailing {@code []} (Qdrant's mark for walking an
     * array) is dropped, since arrays are walked wherever they are met.
     */
    public static String[] path(String key) {
        String[] parts = key.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].endsWith("[]")) {
                parts[i] = parts[i].substring(0, parts[i].length() - 2);
            }
        }
        return parts;
    }

    /**
     * Visits every non-null leaf value reached by the dotted {@code key} (each element where an
     * array is met): the values a payload index on {@code key} holds, by the same walk that
     * matching uses.
     */
    public static void forEachLeaf(JsonNode payload, String key, Consumer<JsonNode> visitor) {
        anyValue(payload, key, v -> {
            visitor.accept(v);
            return false;
        });
    }

    /** Whether some leaf value reached by the dotted {@code key} satisfies {@code test}. */
    static boolean anyValue(JsonNode payload, String key, Predicate<JsonNode> test) {
        return walk(payload, path(key), 0, test);
    }

    private static boolean walk(JsonNode node, String[] parts, int depth, Predicate<JsonNode> test) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (walk(element, parts, depth, test)) {
                    return true;
                }
            }
            return false;
        }
        if (depth == parts.length) {
            return test.test(node);
        }
        return node.isObject() && walk(node.get(parts[depth]), parts, depth + 1, test);
    }

    private static boolean isEmpty(ObjectNode payload, String key) {
        // Empty unless some non-null leaf (an array counts by its elements) is reached.
        return !anyValue(payload, key, v -> true);
    }

    /** Whether the value reached by {@code parts} (through objects and arrays) is an explicit null. */
    private static boolean isNull(JsonNode node, String[] parts, int depth) {
        if (node == null || node.isMissingNode()) {
            return false;
        }
        if (depth == parts.length) {
            return node.isNull();
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (isNull(element, parts, depth)) {
                    return true;
                }
            }
            return false;
        }
        return node.isObject() && isNull(node.get(parts[depth]), parts, depth + 1);
    }

    private static boolean containsScalar(List<Object> values, JsonNode v) {
        for (Object candidate : values) {
            if (sameScalar(v, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isScalar(JsonNode v) {
        return v.isTextual() || v.isBoolean() || v.isNumber();
    }

    /**
     * Strings by text, booleans by value, integers ({@code wanted} is a String, Boolean or Long)
     * by numeric value (so 3 equals a stored 3.0).
     */
    static boolean sameScalar(JsonNode stored, Object wanted) {
        return switch (wanted) {
            case String s -> stored.isTextual() && stored.textValue().equals(s);
            case Boolean b -> stored.isBoolean() && stored.booleanValue() == b;
            case Long l -> stored.isNumber() && (stored.isIntegralNumber() && stored.canConvertToLong()
                    ? stored.longValue() == l
                    : stored.doubleValue() == (double) l);
            default -> false;
        };
    }
}
