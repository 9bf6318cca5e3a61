package dev.vdb.cluster.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.GeoPoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link Filter} as JSON between nodes, every condition kind included (also the Java-only
 * keyword range), decoded into an equal filter. Stateless and thread-safe.
 */
public final class FilterWire {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private FilterWire() {}

    public static JsonNode encode(Filter filter) {
        ObjectNode o = F.objectNode();
        switch (filter) {
            case Filter.Bool b -> {
                o.set("must", array(b.must(), FilterWire::encode));
                o.set("should", array(b.should(), FilterWire::encode));
                o.set("must_not", array(b.mustNot(), FilterWire::encode));
            }
            case Filter.MatchValue m -> o.put("kind", "value").put("key", m.key()).set("value", PointWire.value(m.value()));
            case Filter.MatchAny m -> o.put("kind", "any").put("key", m.key()).set("values", array(m.values(), PointWire::value));
            case Filter.MatchExcept m -> o.put("kind", "except").put("key", m.key()).set("values", array(m.values(), PointWire::value));
            case Filter.MatchText m -> o.put("kind", "text").put("key", m.key()).put("text", m.text());
            case Filter.MatchTextAny m -> o.put("kind", "text_any").put("key", m.key()).put("text", m.words());
            case Filter.MatchPrefix m -> o.put("kind", "prefix").put("key", m.key()).put("text", m.prefix());
            case Filter.Range r -> {
                o.put("kind", "range").put("key", r.key());
                putBounds(o, r.gt(), r.gte(), r.lt(), r.lte());
            }
            case Filter.KeywordRange r -> o.put("kind", "keyword_range").put("key", r.key()).put("gt", r.gt())
                    .put("gte", r.gte()).put("lt", r.lt()).put("lte", r.lte());
            case Filter.HasId h -> {
                o.put("kind", "has_id");
                o.set("ids", PointWire.ids(List.copyOf(h.ids())));
            }
            case Filter.IsEmpty e -> o.put("kind", "is_empty").put("key", e.key());
            case Filter.IsNull n -> o.put("kind", "is_null").put("key", n.key());
            case Filter.DatetimeRange r -> {
                o.put("kind", "datetime_range").put("key", r.key());
                putBounds(o, r.gt(), r.gte(), r.lt(), r.lte());
            }
            case Filter.ValuesCount c -> {
                o.put("kind", "values_count").put("key", c.key());
                putBounds(o, c.gt(), c.gte(), c.lt(), c.lte());
            }
            case Filter.MinShould m -> {
                o.put("kind", "min_should").put("min_count", m.minCount());
                o.set("conditions", array(m.conditions(), FilterWire::encode));
            }
            case Filter.Nested n -> {
                o.put("kind", "nested").put("key", n.key());
                o.set("filter", encode(n.filter()));
            }
            case Filter.GeoRadius g -> {
                o.put("kind", "geo_radius").put("key", g.key()).put("radius", g.radiusMetres());
                o.set("center", point(g.center()));
            }
            case Filter.GeoBoundingBox g -> {
                o.put("kind", "geo_bounding_box").put("key", g.key());
                o.set("top_left", point(g.topLeft()));
                o.set("bottom_right", point(g.bottomRight()));
            }
            case Filter.GeoPolygon g -> {
                o.put("kind", "geo_polygon").put("key", g.key());
                o.set("exterior", array(g.exterior(), FilterWire::point));
                ArrayNode holes = o.putArray("interiors");
                g.interiors().forEach(hole -> holes.add(array(hole, FilterWire::point)));
            }
        }
        return o;
    }

    public static Filter decode(JsonNode n) {
        if (n.has("must")) {
            return new Filter.Bool(listOf(n.get("must"), FilterWire::decode), listOf(n.get("should"), FilterWire::decode),
                    listOf(n.get("must_not"), FilterWire::decode));
        }
        String key = n.path("key").asText(null);
        return switch (n.get("kind").asText()) {
            case "value" -> new Filter.MatchValue(key, PointWire.value(n.get("value")));
            case "any" -> new Filter.MatchAny(key, listOf(n.get("values"), PointWire::value));
            case "except" -> new Filter.MatchExcept(key, listOf(n.get("values"), PointWire::value));
            case "text" -> new Filter.MatchText(key, n.get("text").asText());
            case "text_any" -> new Filter.MatchTextAny(key, n.get("text").asText());
            case "prefix" -> new Filter.MatchPrefix(key, n.get("text").asText());
            case "range" -> new Filter.Range(key, num(n, "gt"), num(n, "gte"), num(n, "lt"), num(n, "lte"));
            case "keyword_range" -> new Filter.KeywordRange(key, str(n, "gt"), str(n, "gte"), str(n, "lt"), str(n, "lte"));
            case "has_id" -> new Filter.HasId(Set.copyOf(new HashSet<>(PointWire.ids(n.get("ids")))));
            case "is_empty" -> new Filter.IsEmpty(key);
            case "is_null" -> new Filter.IsNull(key);
            case "datetime_range" -> new Filter.DatetimeRange(key, whole(n, "gt"), whole(n, "gte"), whole(n, "lt"),
                    whole(n, "lte"));
            case "values_count" -> new Filter.ValuesCount(key, count(n, "gt"), count(n, "gte"), count(n, "lt"),
                    count(n, "lte"));
            case "min_should" -> new Filter.MinShould(listOf(n.get("conditions"), FilterWire::decode), n.get("min_count").asInt());
            case "nested" -> new Filter.Nested(key, decode(n.get("filter")));
            case "geo_radius" -> new Filter.GeoRadius(key, point(n.get("center")), n.get("radius").asDouble());
            case "geo_bounding_box" -> new Filter.GeoBoundingBox(key, point(n.get("top_left")), point(n.get("bottom_right")));
            case "geo_polygon" -> {
                yield new Filter.GeoPolygon(key, listOf(n.get("exterior"), FilterWire::point),
                        listOf(n.get("interiors"), hole -> listOf(hole, FilterWire::point)));
            }
            default -> throw new IllegalArgumentException("unknown filter kind on the wire: " + n.get("kind"));
        };
    }

    private static ObjectNode point(GeoPoint p) {
        return F.objectNode().put("lat", p.lat()).put("lon", p.lon());
    }

    private static GeoPoint point(JsonNode n) {
        return new GeoPoint(n.get("lat").asDouble(), n.get("lon").asDouble());
    }

    /** The items as a JSON array, each written by {@code each}. */
    private static <T> ArrayNode array(List<T> items, Function<T, JsonNode> each) {
        ArrayNode a = F.arrayNode();
        items.forEach(item -> a.add(each.apply(item)));
        return a;
    }

    /** The elements of a JSON array, each read by {@code each}. */
    private static <T> List<T> listOf(JsonNode a, Function<JsonNode, T> each) {
        List<T> out = new ArrayList<>();
        a.forEach(e -> out.add(each.apply(e)));
        return out;
    }

    /** A range's bounds that are set, as JSON numbers. */
    private static void putBounds(ObjectNode o, Number gt, Number gte, Number lt, Number lte) {
        putIfSet(o, "gt", gt);
        putIfSet(o, "gte", gte);
        putIfSet(o, "lt", lt);
        putIfSet(o, "lte", lte);
    }

    /** A bound that is set, as a JSON number (a double, long or int as the condition keeps it). */
    private static void putIfSet(ObjectNode o, String field, Number v) {
        switch (v) {
            case null -> { }
            case Double d -> o.put(field, d);
            case Long l -> o.put(field, l);
            default -> o.put(field, v.intValue());
        }
    }

    private static Long whole(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asLong() : null;
    }

    private static Integer count(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asInt() : null;
    }

    private static Double num(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asDouble() : null;
    }

    private static String str(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
