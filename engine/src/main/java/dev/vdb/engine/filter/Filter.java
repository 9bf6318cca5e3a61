package dev.vdb.engine.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.PointId;
import dev.vdb.engine.payload.PayloadMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A boolean filter over points, in Qdrant's shape: {@link Bool} nodes of must / should /
 * must_not clauses whose leaves are field conditions. Immutable and thread-safe.
 *
 * <pre>{@code
 * Filter f = Filter.must(
 *         Filter.match("city", "London"),
 *         Filter.between("year", 1990, 2000),
 *         Filter.mustNot(Filter.matchAny("tags", "draft", "spam")));
 * Filter same = Filter.fromJson("{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\"London\"}}]}");
 * }</pre>
 *
 * <p>Semantics: a key with dots walks nested objects; wherever an array is met, the condition
 * holds when any element satisfies it. A key that is absent matches no value, range, text or
 * except condition (it {@link IsEmpty is empty}). Match values are strings, integers (as
 * {@link Long}) or booleans; numbers match by numeric value, so {@code 3} matches a stored
 * {@code 3.0}. A {@link Range} holds numbers only, a {@link KeywordRange} strings only, a
 * {@link DatetimeRange} strings that {@link DateTimes} reads as date-times. A path segment may end
 * in {@code []} as in Qdrant ({@code "diet[].food"}): arrays are walked either way.
 */
public sealed interface Filter {

    /**
     * A filter from its JSON form (the HTTP API's {@code filter}).
     *
     * @throws IllegalArgumentException naming the offending part by its path
     */
    static Filter fromJson(String json) {
        try {
            return FilterParser.parse(new ObjectMapper().readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("filter is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Whether this filter matches a point with this id and payload (a map of JSON values), by
     * the semantics above: what searches, counts and deletes select.
     */
    default boolean matches(PointId id, Map<String, ?> payload) {
        return PayloadMatcher.matches(this, id, payload);
    }

    /** Every clause holds (an empty list matches everything). */
    static Filter must(Filter... clauses) {
        return new Bool(List.of(clauses), List.of(), List.of());
    }

    static Filter must(List<Filter> clauses) {
        return new Bool(clauses, List.of(), List.of());
    }

    /** At least one clause holds. */
    static Filter should(Filter... clauses) {
        return new Bool(List.of(), List.of(clauses), List.of());
    }

    static Filter should(List<Filter> clauses) {
        return new Bool(List.of(), clauses, List.of());
    }

    /** No clause holds. */
    static Filter mustNot(Filter... clauses) {
        return new Bool(List.of(), List.of(), List.of(clauses));
    }

    static Filter mustNot(List<Filter> clauses) {
        return new Bool(List.of(), List.of(), clauses);
    }

    static Filter match(String key, String value) {
        return new MatchValue(key, value);
    }

    static Filter match(String key, long value) {
        return new MatchValue(key, value);
    }

    static Filter match(String key, boolean value) {
        return new MatchValue(key, value);
    }

    /** The value at {@code key} is one of {@code values}. */
    static Filter matchAny(String key, String... values) {
        return new MatchAny(key, Arrays.asList((Object[]) values));
    }

    static Filter matchAny(String key, long... values) {
        return new MatchAny(key, Arrays.stream(values).boxed().map(Object.class::cast).toList());
    }

    /** The value at {@code key} is one of {@code values} (strings, integers or booleans). */
    static Filter matchAny(String key, Collection<?> values) {
        return new MatchAny(key, new ArrayList<>(values));
    }

    /** The value at {@code key} is present and none of {@code values}. */
    static Filter matchExcept(String key, String... values) {
        return new MatchExcept(key, Arrays.asList((Object[]) values));
    }

    static Filter matchExcept(String key, long... values) {
        return new MatchExcept(key, Arrays.stream(values).boxed().map(Object.class::cast).toList());
    }

    static Filter matchExcept(String key, Collection<?> values) {
        return new MatchExcept(key, new ArrayList<>(values));
    }

    /** The string at {@code key} contains {@code text} (case-sensitive substring). */
    static Filter matchText(String key, String text) {
        return new MatchText(key, text);
    }

    /** The string at {@code key} contains one of the whitespace-separated words of {@code words} (as a substring). */
    static Filter matchTextAny(String key, String words) {
        return new MatchTextAny(key, words);
    }

    /** The string at {@code key} starts with {@code prefix}. */
    static Filter matchPrefix(String key, String prefix) {
        return new MatchPrefix(key, prefix);
    }

    /** The number at {@code key} is {@code > value}. */
    static Filter gt(String key, double value) {
        return new Range(key, value, null, null, null);
    }

    /** The number at {@code key} is {@code >= value}. */
    static Filter gte(String key, double value) {
        return new Range(key, null, value, null, null);
    }

    /** The number at {@code key} is {@code < value}. */
    static Filter lt(String key, double value) {
        return new Range(key, null, null, value, null);
    }

    /** The number at {@code key} is {@code <= value}. */
    static Filter lte(String key, double value) {
        return new Range(key, null, null, null, value);
    }

    /** {@code gte <= value <= lte}. */
    static Filter between(String key, double gte, double lte) {
        return new Range(key, null, gte, null, lte);
    }

    /** A range with any bounds; null leaves a side open. */
    static Filter range(String key, Double gt, Double gte, Double lt, Double lte) {
        return new Range(key, gt, gte, lt, lte);
    }

    /**
     * The string at {@code key} lies in a range of strings ordered as {@link String#compareTo}
     * orders them (by UTF-16 code unit); null leaves a side open. {@code keywordRange(k, null,
     * "", null, null)} matches every string value. Java only: Qdrant's JSON has no such condition,
     * so {@link #fromJson} keeps refusing string bounds in a {@code range}.
     */
    static Filter keywordRange(String key, String gt, String gte, String lt, String lte) {
        return new KeywordRange(key, gt, gte, lt, lte);
    }

    /**
     * The date-time at {@code key} (a string in one of the forms {@link DateTimes} reads, UTC
     * where it names no offset) lies in the range, to the microsecond; null leaves a side open.
     */
    static Filter datetimeRange(String key, Instant gt, Instant gte, Instant lt, Instant lte) {
        return new DatetimeRange(key, DateTimes.micros(gt), DateTimes.micros(gte), DateTimes.micros(lt),
                DateTimes.micros(lte));
    }

    /**
     * How many values {@code key} holds lies in the range (null leaves a side open): an array
     * counts its elements, null counts 0, any other value 1, and an absent key 0.
     */
    static Filter valuesCount(String key, Integer gt, Integer gte, Integer lt, Integer lte) {
        return new ValuesCount(key, gt, gte, lt, lte);
    }

    /** At least {@code minCount} of {@code conditions} hold (Qdrant's {@code min_should}). */
    static Filter minShould(int minCount, Filter... conditions) {
        return new MinShould(List.of(conditions), minCount);
    }

    /**
     * Some object of the array at {@code key} (or the object there) satisfies {@code filter} on
     * its own, its keys read from that object: {@code nested("diet", must(match("food",
     * "meat"), match("liked", true)))} asks for one element that is both, not any two.
     */
    static Filter nested(String key, Filter filter) {
        return new Nested(key, filter);
    }

    /** A point at {@code key} lies less than {@code radiusMetres} from {@code center} (great-circle distance). */
    static Filter geoRadius(String key, GeoPoint center, double radiusMetres) {
        return new GeoRadius(key, center, radiusMetres);
    }

    /**
     * A point at {@code key} lies strictly inside the box between {@code topLeft} and
     * {@code bottomRight}; a box whose left edge lies east of its right one crosses the
     * antimeridian.
     */
    static Filter geoBoundingBox(String key, GeoPoint topLeft, GeoPoint bottomRight) {
        return new GeoBoundingBox(key, topLeft, bottomRight);
    }

    /**
     * A point at {@code key} lies strictly inside the polygon with this closed exterior ring and
     * holes (each ring at least 4 points, its last the first), in the plane of longitude and
     * latitude.
     */
    static Filter geoPolygon(String key, List<GeoPoint> exterior, List<List<GeoPoint>> interiors) {
        return new GeoPolygon(key, exterior, interiors);
    }

    /** The point's id is one of {@code ids}. */
    static Filter hasId(PointId... ids) {
        return new HasId(Set.of(ids));
    }

    static Filter hasId(Collection<PointId> ids) {
        return new HasId(Set.copyOf(ids));
    }

    /** The key is absent, null, or an empty array. */
    static Filter isEmpty(String key) {
        return new IsEmpty(key);
    }

    /** The key is present with the value null. */
    static Filter isNull(String key) {
        return new IsNull(key);
    }

    /**
     * Every {@code must} clause holds, at least one {@code should} clause holds (when there are
     * any), and no {@code mustNot} clause holds. An empty Bool matches everything.
     */
    record Bool(List<Filter> must, List<Filter> should, List<Filter> mustNot) implements Filter {
        public Bool {
            must = List.copyOf(must);
            should = List.copyOf(should);
            mustNot = List.copyOf(mustNot);
        }
    }

    /** The value at {@code key} (or an element of it) equals {@code value}: a String, Long or Boolean. */
    record MatchValue(String key, Object value) implements Filter {
        public MatchValue {
            checkKey(key);
            value = scalar(value, key);
        }
    }

    /** The value at {@code key} (or an element of it) equals one of {@code values}. */
    record MatchAny(String key, List<Object> values) implements Filter {
        public MatchAny {
            checkKey(key);
            values = scalars(values, key);
        }
    }

    /** The value at {@code key} (or an element of it) is present and equals none of {@code values}. */
    record MatchExcept(String key, List<Object> values) implements Filter {
        public MatchExcept {
            checkKey(key);
            values = scalars(values, key);
        }
    }

    /** The string at {@code key} (or an element of it) contains {@code text}. */
    record MatchText(String key, String text) implements Filter {
        public MatchText {
            checkKey(key);
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("match.text for key '" + key + "' must be a non-empty string");
            }
        }
    }

    /**
     * A string at {@code key} (or an element of it) contains one of the words of {@code words}
     * (split at whitespace), as Qdrant's {@code text_any} on a field without a full-text index.
     */
    record MatchTextAny(String key, String words) implements Filter {
        public MatchTextAny {
            checkKey(key);
            if (words == null || words.isBlank()) {
                throw new IllegalArgumentException("match.text_any for key '" + key + "' must hold a word");
            }
        }

        /** The words, split at whitespace. */
        public List<String> wordList() {
            return List.of(words.strip().split("\\s+"));
        }
    }

    /** A string at {@code key} (or an element of it) starts with {@code prefix}. */
    record MatchPrefix(String key, String prefix) implements Filter {
        public MatchPrefix {
            checkKey(key);
            if (prefix == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("match.prefix for key '" + key + "' must be a non-empty string");
            }
        }
    }

    /** A numeric value at {@code key} (or an element of it) lies in the range; null bounds are open. */
    record Range(String key, Double gt, Double gte, Double lt, Double lte) implements Filter {
        public Range {
            checkKey(key);
            for (Double bound : Arrays.asList(gt, gte, lt, lte)) {
                if (bound != null && !Double.isFinite(bound)) {
                    throw new IllegalArgumentException("range bounds for key '" + key + "' must be finite, got " + bound);
                }
            }
            requireABound("range", key, gt, gte, lt, lte);
        }

        /** Whether {@code v} satisfies every bound that is set. */
        public boolean contains(double v) {
            return (gt == null || v > gt) && (gte == null || v >= gte)
                    && (lt == null || v < lt) && (lte == null || v <= lte);
        }
    }

    /**
     * A string value at {@code key} (or an element of it) lies in the range, compared by
     * {@link String#compareTo}; null bounds are open. Numbers and booleans never match.
     */
    record KeywordRange(String key, String gt, String gte, String lt, String lte) implements Filter {
        public KeywordRange {
            checkKey(key);
            requireABound("range", key, gt, gte, lt, lte);
        }

        /** Whether {@code v} satisfies every bound that is set. */
        public boolean contains(String v) {
            return (gt == null || v.compareTo(gt) > 0) && (gte == null || v.compareTo(gte) >= 0)
                    && (lt == null || v.compareTo(lt) < 0) && (lte == null || v.compareTo(lte) <= 0);
        }
    }

    /**
     * A string at {@code key} (or an element of it) that {@link DateTimes#parseMicros} reads lies
     * in the range; bounds are microseconds since the epoch, null ones open.
     */
    record DatetimeRange(String key, Long gt, Long gte, Long lt, Long lte) implements Filter {
        public DatetimeRange {
            checkKey(key);
            requireABound("range", key, gt, gte, lt, lte);
        }

        /** Whether {@code micros} satisfies every bound that is set. */
        public boolean contains(long micros) {
            return (gt == null || micros > gt) && (gte == null || micros >= gte)
                    && (lt == null || micros < lt) && (lte == null || micros <= lte);
        }
    }

    /** The number of values at {@code key} lies in the range (see {@link Filter#valuesCount}). */
    record ValuesCount(String key, Integer gt, Integer gte, Integer lt, Integer lte) implements Filter {
        public ValuesCount {
            checkKey(key);
            requireABound("values_count", key, gt, gte, lt, lte);
            for (Integer bound : Arrays.asList(gt, gte, lt, lte)) {
                if (bound != null && bound < 0) {
                    throw new IllegalArgumentException("values_count bounds for key '" + key
                            + "' must not be negative, got " + bound);
                }
            }
        }

        /** Whether {@code count} satisfies every bound that is set. */
        public boolean contains(int count) {
            return (gt == null || count > gt) && (gte == null || count >= gte)
                    && (lt == null || count < lt) && (lte == null || count <= lte);
        }
    }

    /** At least {@code minCount} of {@code conditions} hold; a {@code minCount} of 0 always does. */
    record MinShould(List<Filter> conditions, int minCount) implements Filter {
        public MinShould {
            conditions = List.copyOf(conditions);
            if (minCount < 0) {
                throw new IllegalArgumentException("min_should.min_count must not be negative, got " + minCount);
            }
        }
    }

    /**
     * Some object reached at {@code key} satisfies {@code filter}, read against that object
     * (see {@link Filter#nested}). Point ids belong to points, not to objects inside them, so the
     * inner filter holds no {@link HasId}.
     */
    record Nested(String key, Filter filter) implements Filter {
        public Nested {
            checkKey(key);
            Objects.requireNonNull(filter, "filter");
            if (holdsHasId(filter)) {
                throw new IllegalArgumentException("nested filter for key '" + key
                        + "' cannot hold has_id: ids belong to points, not to the objects inside them");
            }
        }

        private static boolean holdsHasId(Filter f) {
            return switch (f) {
                case HasId h -> true;
                case Bool b -> b.must().stream().anyMatch(Nested::holdsHasId)
                        || b.should().stream().anyMatch(Nested::holdsHasId)
                        || b.mustNot().stream().anyMatch(Nested::holdsHasId);
                case MinShould m -> m.conditions().stream().anyMatch(Nested::holdsHasId);
                default -> false; // a Nested inside was checked when it was made
            };
        }
    }

    /**
     * A condition on points on the Earth: a value at {@code key} (or an element of it) that is an
     * object with numbers {@code lat} and {@code lon} lies in the shape. Other values never match.
     */
    sealed interface Geo extends Filter {

        String key();

        /** Whether the point (lat, lon), in degrees, lies in the shape. */
        boolean contains(double lat, double lon);
    }

    /** See {@link Filter#geoRadius}. */
    record GeoRadius(String key, GeoPoint center, double radiusMetres) implements Geo {
        public GeoRadius {
            checkKey(key);
            Objects.requireNonNull(center, "center");
            if (!(radiusMetres >= 0) || Double.isInfinite(radiusMetres)) {
                throw new IllegalArgumentException("geo_radius.radius for key '" + key
                        + "' must be a finite number of metres, not negative, got " + radiusMetres);
            }
        }

        @Override
        public boolean contains(double lat, double lon) {
            return GeoMath.haversineMetres(center.lat(), center.lon(), lat, lon) < radiusMetres;
        }
    }

    /** See {@link Filter#geoBoundingBox}. */
    record GeoBoundingBox(String key, GeoPoint topLeft, GeoPoint bottomRight) implements Geo {
        public GeoBoundingBox {
            checkKey(key);
            Objects.requireNonNull(topLeft, "top_left");
            Objects.requireNonNull(bottomRight, "bottom_right");
        }

        @Override
        public boolean contains(double lat, double lon) {
            boolean withinLon = topLeft.lon() > bottomRight.lon()
                    ? lon > topLeft.lon() || lon < bottomRight.lon() // across the antimeridian
                    : topLeft.lon() < lon && lon < bottomRight.lon();
            return withinLon && bottomRight.lat() < lat && lat < topLeft.lat();
        }
    }

    /** See {@link Filter#geoPolygon}. */
    record GeoPolygon(String key, List<GeoPoint> exterior, List<List<GeoPoint>> interiors) implements Geo {
        public GeoPolygon {
            checkKey(key);
            exterior = ring(exterior, key, "exterior");
            List<List<GeoPoint>> holes = new ArrayList<>();
            for (List<GeoPoint> interior : interiors == null ? List.<List<GeoPoint>>of() : interiors) {
                holes.add(ring(interior, key, "interiors[" + holes.size() + "]"));
            }
            interiors = List.copyOf(holes);
        }

        private static List<GeoPoint> ring(List<GeoPoint> points, String key, String which) {
            Objects.requireNonNull(points, which);
            if (points.size() < 4) {
                throw new IllegalArgumentException("geo_polygon." + which + " for key '" + key
                        + "' needs at least 4 points, got " + points.size());
            }
            if (!points.getFirst().equals(points.getLast())) {
                throw new IllegalArgumentException("geo_polygon." + which + " for key '" + key
                        + "' must end where it starts (a closed line), got " + points.getFirst() + " and " + points.getLast());
            }
            return List.copyOf(points);
        }

        @Override
        public boolean contains(double lat, double lon) {
            if (!GeoMath.insideRing(exterior, lat, lon)) {
                return false;
            }
            for (List<GeoPoint> hole : interiors) {
                if (GeoMath.insideRing(hole, lat, lon) || GeoMath.onRing(hole, lat, lon)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The point's id is one of {@code ids}. */
    record HasId(Set<PointId> ids) implements Filter {
        public HasId {
            ids = Set.copyOf(ids);
        }
    }

    /** The key is absent, null, or an empty array. */
    record IsEmpty(String key) implements Filter {
        public IsEmpty {
            checkKey(key);
        }
    }

    /** The key is present with the value null. */
    record IsNull(String key) implements Filter {
        public IsNull {
            checkKey(key);
        }
    }

    private static void requireABound(String condition, String key, Object gt, Object gte, Object lt, Object lte) {
        if (gt == null && gte == null && lt == null && lte == null) {
            throw new IllegalArgumentException(condition + " for key '" + key + "' needs at least one of gt, gte, lt, lte");
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a condition's key must be a non-empty string, got "
                    + (key == null ? "null" : "''"));
        }
    }

    private static Object scalar(Object value, String key) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case null, default -> throw new IllegalArgumentException("match values for key '" + key
                    + "' must be strings, integers or booleans, got " + value);
        };
    }

    private static List<Object> scalars(List<?> values, String key) {
        Objects.requireNonNull(values, "values");
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(scalar(v, key));
        }
        return List.copyOf(out);
    }
}
