package dev.vdb.engine.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.PointId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON filter of the HTTP contract into a {@link Filter}. Errors are
 * {@link IllegalArgumentException}s naming the offending part by its path, e.g.
 * {@code filter.must[1].range.gt must be a number, got "x"}. Stateless and thread-safe.
 */
public final class FilterParser {

    /** Deeper nesting is refused: it is never needed and would risk stack exhaustion. */
    public static final int MAX_DEPTH = 32;

    private FilterParser() {}

    public static Filter parse(JsonNode json) {
        return parse(json, "filter");
    }

    /** As {@link #parse(JsonNode)}, errors naming the parts from {@code path} (a condition inside a formula). */
    public static Filter parse(JsonNode json, String path) {
        return parseNode(json, path, 0);
    }

    private static Filter parseNode(JsonNode node, String path, int depth) {
        if (node == null || !node.isObject()) {
            throw bad(path, "must be an object", node);
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + " nests deeper than " + MAX_DEPTH + " levels");
        }
        if (node.has("must") || node.has("should") || node.has("must_not") || node.has("min_should")
                || node.isEmpty()) {
            onlyFields(node, path, Set.of("must", "should", "must_not", "min_should"));
            List<Filter> must = clauses(node.get("must"), path + ".must", depth);
            JsonNode minShould = node.get("min_should");
            if (minShould != null && !minShould.isNull()) {
                // at least k of them hold, beside every must: one more must clause
                must.add(minShould(minShould, path + ".min_should", depth));
            }
            return new Filter.Bool(must,
                    clauses(node.get("should"), path + ".should", depth),
                    clauses(node.get("must_not"), path + ".must_not", depth));
        }
        if (node.has("nested")) {
            onlyFields(node, path, Set.of("nested"));
            return nested(node.get("nested"), path + ".nested", depth);
        }
        if (node.has("key")) { // a field condition, also {"key": .., "is_empty": true}
            return fieldCondition(node, path);
        }
        if (node.has("has_id")) {
            onlyFields(node, path, Set.of("has_id"));
            return hasId(node.get("has_id"), path + ".has_id");
        }
        if (node.has("is_empty")) {
            onlyFields(node, path, Set.of("is_empty"));
            JsonNode inner = node.get("is_empty");
            if (!inner.isObject()) {
                throw bad(path + ".is_empty", "must be an object like {\"key\": \"tags\"}", inner);
            }
            onlyFields(inner, path + ".is_empty", Set.of("key"));
            return new Filter.IsEmpty(key(inner, path + ".is_empty"));
        }
        if (node.has("is_null")) {
            onlyFields(node, path, Set.of("is_null"));
            JsonNode inner = node.get("is_null");
            if (!inner.isObject()) {
                throw bad(path + ".is_null", "must be an object like {\"key\": \"tags\"}", inner);
            }
            onlyFields(inner, path + ".is_null", Set.of("key"));
            return new Filter.IsNull(key(inner, path + ".is_null"));
        }
        throw new IllegalArgumentException(path + " must be a condition (key with match, range, values_count or geo, "
                + "has_id, is_empty, is_null, nested) or an object of must/should/must_not/min_should, got fields "
                + fieldNames(node));
    }

    private static Filter minShould(JsonNode node, String path, int depth) {
        if (!node.isObject()) {
            throw bad(path, "must be an object like {\"conditions\": [...], \"min_count\": 2}", node);
        }
        onlyFields(node, path, Set.of("conditions", "min_count"));
        JsonNode minCount = node.get("min_count");
        if (minCount == null || !minCount.isIntegralNumber() || !minCount.canConvertToInt() || minCount.intValue() < 0) {
            throw bad(path + ".min_count", "must be a non-negative integer", minCount);
        }
        JsonNode conditions = node.get("conditions");
        if (conditions == null || !conditions.isArray()) {
            throw bad(path + ".conditions", "must be an array of conditions", conditions);
        }
        return new Filter.MinShould(clauses(conditions, path + ".conditions", depth), minCount.intValue());
    }

    private static Filter nested(JsonNode node, String path, int depth) {
        if (node == null || !node.isObject()) {
            throw bad(path, "must be an object like {\"key\": \"diet\", \"filter\": {...}}", node);
        }
        onlyFields(node, path, Set.of("key", "filter"));
        String key = key(node, path);
        Filter inner = parseNode(node.get("filter"), path + ".filter", depth + 1);
        try {
            return new Filter.Nested(key, inner);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static List<Filter> clauses(JsonNode node, String path, int depth) {
        List<Filter> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isObject()) { // Qdrant accepts a single condition in place of a list
            out.add(parseNode(node, path, depth + 1));
            return out;
        }
        if (!node.isArray()) {
            throw bad(path, "must be an array of conditions", node);
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(parseNode(node.get(i), path + "[" + i + "]", depth + 1));
        }
        return out;
    }

    private static Filter fieldCondition(JsonNode node, String path) {
        Set<String> kinds = Set.of("match", "range", "values_count", "geo_radius", "geo_bounding_box", "geo_polygon",
                "is_empty", "is_null");
        onlyFields(node, path, Set.of("key", "match", "range", "values_count", "geo_radius", "geo_bounding_box",
                "geo_polygon", "is_empty", "is_null"));
        String key = key(node, path);
        List<String> given = fieldNames(node).stream().filter(kinds::contains).toList();
        if (given.size() != 1) {
            throw new IllegalArgumentException(path + " must have exactly one of match, range, values_count, geo_radius, "
                    + "geo_bounding_box, geo_polygon, is_empty or is_null for key '" + key + "'");
        }
        String kind = given.getFirst();
        JsonNode condition = node.get(kind);
        String at = path + "." + kind;
        try {
            return switch (kind) {
                case "match" -> match(key, condition, at);
                case "range" -> range(key, condition, at);
                case "values_count" -> valuesCount(key, condition, at);
                case "geo_radius" -> geoRadius(key, condition, at);
                case "geo_bounding_box" -> geoBoundingBox(key, condition, at);
                case "is_empty" -> flag(condition, at) ? new Filter.IsEmpty(key) : Filter.mustNot(new Filter.IsEmpty(key));
                case "is_null" -> flag(condition, at) ? new Filter.IsNull(key) : Filter.mustNot(new Filter.IsNull(key));
                default -> geoPolygon(key, condition, at);
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(path) ? e : new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static boolean flag(JsonNode value, String path) {
        if (!value.isBoolean()) {
            throw bad(path, "must be true or false", value);
        }
        return value.booleanValue();
    }

    private static Filter geoRadius(String key, JsonNode radius, String path) {
        requireObject(radius, path, "{\"center\": {\"lat\": 52.5, \"lon\": 13.4}, \"radius\": 1000}");
        onlyFields(radius, path, Set.of("center", "radius"));
        JsonNode metres = radius.get("radius");
        if (metres == null || !metres.isNumber() || !Double.isFinite(metres.doubleValue()) || metres.doubleValue() < 0) {
            throw bad(path + ".radius", "must be a finite number of metres, not negative", metres);
        }
        return new Filter.GeoRadius(key, geoPoint(radius.get("center"), path + ".center"), metres.doubleValue());
    }

    private static Filter geoBoundingBox(String key, JsonNode box, String path) {
        requireObject(box, path, "{\"top_left\": {\"lat\":..,\"lon\":..}, \"bottom_right\": {..}}");
        onlyFields(box, path, Set.of("top_left", "bottom_right"));
        return new Filter.GeoBoundingBox(key, geoPoint(box.get("top_left"), path + ".top_left"),
                geoPoint(box.get("bottom_right"), path + ".bottom_right"));
    }

    private static Filter geoPolygon(String key, JsonNode polygon, String path) {
        requireObject(polygon, path, "{\"exterior\": {\"points\": [..]}, \"interiors\": [..]}");
        onlyFields(polygon, path, Set.of("exterior", "interiors"));
        List<GeoPoint> exterior = lineString(polygon.get("exterior"), path + ".exterior");
        List<List<GeoPoint>> interiors = new ArrayList<>();
        JsonNode holes = polygon.get("interiors");
        if (holes != null && !holes.isNull()) {
            if (!holes.isArray()) {
                throw bad(path + ".interiors", "must be an array of {\"points\": [..]}", holes);
            }
            for (int i = 0; i < holes.size(); i++) {
                interiors.add(lineString(holes.get(i), path + ".interiors[" + i + "]"));
            }
        }
        return new Filter.GeoPolygon(key, exterior, interiors);
    }

    private static List<GeoPoint> lineString(JsonNode line, String path) {
        requireObject(line, path, "{\"points\": [{\"lat\":..,\"lon\":..}, ..]}");
        onlyFields(line, path, Set.of("points"));
        JsonNode points = line.get("points");
        if (points == null || !points.isArray()) {
            throw bad(path + ".points", "must be an array of {\"lat\":..,\"lon\":..}", points);
        }
        List<GeoPoint> out = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            out.add(geoPoint(points.get(i), path + ".points[" + i + "]"));
        }
        return out;
    }

    private static GeoPoint geoPoint(JsonNode point, String path) {
        requireObject(point, path, "{\"lat\": 52.5, \"lon\": 13.4}");
        onlyFields(point, path, Set.of("lat", "lon"));
        JsonNode lat = point.get("lat");
        JsonNode lon = point.get("lon");
        if (lat == null || !lat.isNumber() || !(Math.abs(lat.doubleValue()) <= 90)) {
            throw bad(path + ".lat", "must be a number within [-90, 90]", lat);
        }
        if (lon == null || !lon.isNumber() || !(Math.abs(lon.doubleValue()) <= 180)) {
            throw bad(path + ".lon", "must be a number within [-180, 180]", lon);
        }
        return new GeoPoint(lat.doubleValue(), lon.doubleValue());
    }

    private static void requireObject(JsonNode node, String path, String example) {
        if (node == null || !node.isObject()) {
            throw bad(path, "must be an object like " + example, node);
        }
    }

    private static Filter valuesCount(String key, JsonNode count, String path) {
        if (!count.isObject() || count.isEmpty()) {
            throw bad(path, "must be an object with at least one of gt, gte, lt, lte", count);
        }
        onlyFields(count, path, Set.of("gt", "gte", "lt", "lte"));
        Integer[] bounds = new Integer[4];
        String[] names = {"gt", "gte", "lt", "lte"};
        for (int i = 0; i < names.length; i++) {
            JsonNode v = count.get(names[i]);
            if (v != null && !v.isNull()) {
                if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
                    throw bad(path + "." + names[i], "must be a non-negative integer", v);
                }
                bounds[i] = v.intValue();
            }
        }
        return new Filter.ValuesCount(key, bounds[0], bounds[1], bounds[2], bounds[3]);
    }

    private static Filter match(String key, JsonNode match, String path) {
        if (!match.isObject() || match.size() != 1) {
            throw bad(path, "must be an object with exactly one of value, any, except, text, text_any, phrase, prefix", match);
        }
        for (String kind : new String[] {"text_any", "phrase", "prefix"}) {
            JsonNode text = match.get(kind);
            if (text == null) {
                continue;
            }
            if (!text.isTextual() || text.textValue().isBlank()) {
                throw bad(path + "." + kind, "must be a non-empty string", text);
            }
            return switch (kind) {
                case "text_any" -> new Filter.MatchTextAny(key, text.textValue());
                case "phrase" -> new Filter.MatchText(key, text.textValue()); // as Qdrant without a full-text index
                default -> new Filter.MatchPrefix(key, text.textValue());
            };
        }
        if (match.has("value")) {
            return new Filter.MatchValue(key, scalar(match.get("value"), path + ".value"));
        }
        if (match.has("any")) {
            return new Filter.MatchAny(key, scalars(match.get("any"), path + ".any"));
        }
        if (match.has("except")) {
            return new Filter.MatchExcept(key, scalars(match.get("except"), path + ".except"));
        }
        if (match.has("text")) {
            JsonNode text = match.get("text");
            if (!text.isTextual() || text.textValue().isEmpty()) {
                throw bad(path + ".text", "must be a non-empty string", text);
            }
            return new Filter.MatchText(key, text.textValue());
        }
        throw bad(path, "must have one of value, any, except, text, text_any, phrase, prefix", match);
    }

    private static Filter range(String key, JsonNode range, String path) {
        if (!range.isObject() || range.isEmpty()) {
            throw bad(path, "must be an object with at least one of gt, gte, lt, lte", range);
        }
        onlyFields(range, path, Set.of("gt", "gte", "lt", "lte"));
        boolean datetime = false;
        for (JsonNode bound : range) {
            datetime |= bound.isTextual();
        }
        if (datetime) { // as in Qdrant: a string bound makes it a range of date-times
            return new Filter.DatetimeRange(key, instant(range, "gt", path), instant(range, "gte", path),
                    instant(range, "lt", path), instant(range, "lte", path));
        }
        return new Filter.Range(key, bound(range, "gt", path), bound(range, "gte", path),
                bound(range, "lt", path), bound(range, "lte", path));
    }

    private static Double bound(JsonNode range, String name, String path) {
        JsonNode v = range.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw bad(path + "." + name, "must be a finite number", v);
        }
        return v.doubleValue();
    }

    private static Long instant(JsonNode range, String name, String path) {
        JsonNode v = range.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        Long micros = v.isTextual() ? DateTimes.parseMicros(v.textValue()) : null;
        if (micros == null) {
            throw bad(path + "." + name, "must be a date-time like 2014-01-01T00:00:00Z (a range with a string bound "
                    + "compares date-times)", v);
        }
        return micros;
    }

    private static Filter hasId(JsonNode ids, String path) {
        if (!ids.isArray()) {
            throw bad(path, "must be an array of point ids", ids);
        }
        Set<PointId> out = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (id.isIntegralNumber() && id.canConvertToLong() && id.longValue() >= 0) {
                out.add(PointId.of(id.longValue()));
            } else if (id.isTextual()) {
                out.add(PointId.of(id.textValue()));
            } else {
                throw bad(path + "[" + i + "]", "must be a non-negative integer or a string", id);
            }
        }
        return new Filter.HasId(out);
    }

    private static List<Object> scalars(JsonNode node, String path) {
        if (!node.isArray()) {
            throw bad(path, "must be an array of strings, integers or booleans", node);
        }
        List<Object> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(scalar(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static Object scalar(JsonNode v, String path) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        throw bad(path, "must be a string, an integer or a boolean", v);
    }

    private static String key(JsonNode node, String path) {
        JsonNode key = node.get("key");
        if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
            throw bad(path + ".key", "must be a non-empty string", key);
        }
        return key.textValue();
    }

    private static void onlyFields(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(path + " has unknown field '" + name + "' (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static IllegalArgumentException bad(String path, String rule, JsonNode got) {
        String shown = got == null ? "nothing" : got.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return new IllegalArgumentException(path + " " + rule + ", got " + shown);
    }
}
