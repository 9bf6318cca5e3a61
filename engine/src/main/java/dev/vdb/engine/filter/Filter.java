package dev.vdb.engine.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vdb.engine.PointId;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A boolean filter over points, in Qdrant's shape: {@link Bool} nodes of must / should /
 * must_not clauses whose leaves are field conditions. Immutable and thread-safe.
 *
 * <p>Semantics (also what {@link PayloadMatcher} implements, the oracle for indexed paths):
 * a key with dots walks nested objects; wherever an array is met, the condition holds when any
 * element satisfies it. A key that is absent matches no value, range or except condition
 * (it is {@link IsEmpty}).
 */
public sealed interface Filter {

    /** A filter from its JSON form (the HTTP API's {@code filter}). */
    static Filter fromJson(String json) {
        try {
            return FilterParser.parse(new ObjectMapper().readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("filter is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Every clause holds. */
    static Filter must(Filter... clauses) {
        return new Bool(List.of(clauses), List.of(), List.of());
    }

    /** At least one clause holds. */
    static Filter should(Filter... clauses) {
        return new Bool(List.of(), List.of(clauses), List.of());
    }

    /** No clause holds. */
    static Filter mustNot(Filter... clauses) {
        return new Bool(List.of(), List.of(), List.of(clauses));
    }

    static Filter match(String key, String value) {
        return new MatchValue(key, TextNode.valueOf(value));
    }

    static Filter match(String key, long value) {
        return new MatchValue(key, LongNode.valueOf(value));
    }

    static Filter match(String key, boolean value) {
        return new MatchValue(key, BooleanNode.valueOf(value));
    }

    /** {@code gte <= value < lt}; pass NaN for an open end. */
    static Filter range(String key, double gte, double lt) {
        return new Range(key, Double.NaN, gte, lt, Double.NaN);
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

    /** The value at {@code key} (or an element of it) equals {@code value}: a string, integer or boolean. */
    record MatchValue(String key, JsonNode value) implements Filter {
        public MatchValue {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The value at {@code key} (or an element of it) equals one of {@code values}. */
    record MatchAny(String key, List<JsonNode> values) implements Filter {
        public MatchAny {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(values);
        }
    }

    /** The value at {@code key} (or an element of it) is present and equals none of {@code values}. */
    record MatchExcept(String key, List<JsonNode> values) implements Filter {
        public MatchExcept {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(values);
        }
    }

    /**
     * A numeric value at {@code key} (or an element of it) lies in the range; absent bounds are
     * {@code NaN}.
     */
    record Range(String key, double gt, double gte, double lt, double lte) implements Filter {
        public Range {
            Objects.requireNonNull(key, "key");
        }

        /** Whether {@code v} satisfies every bound that is set. */
        public boolean contains(double v) {
            return (Double.isNaN(gt) || v > gt) && (Double.isNaN(gte) || v >= gte)
                    && (Double.isNaN(lt) || v < lt) && (Double.isNaN(lte) || v <= lte);
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
            Objects.requireNonNull(key, "key");
        }
    }
}
