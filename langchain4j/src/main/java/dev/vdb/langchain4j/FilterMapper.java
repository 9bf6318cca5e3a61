package dev.vdb.langchain4j;

import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.vdb.engine.filter.Filter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Translates a LangChain4j metadata {@link dev.langchain4j.store.embedding.filter.Filter} into
 * the engine's {@link Filter}, with LangChain4j's meaning (its in-memory store's
 * {@code test(Metadata)}):
 *
 * <ul>
 *   <li>numbers compare by numeric value whatever their Java type ({@code 1}, {@code 1L},
 *       {@code 1.0f} and {@code 1.0} are equal); a Float compares as its shortest decimal, as
 *       it is stored ({@link MetadataPayload});</li>
 *   <li>a UUID compares as its string; strings order as {@link String#compareTo} (a
 *       {@link Filter#keywordRange keyword range});</li>
 *   <li>a missing key fails {@code isEqualTo}, {@code isIn}, the comparisons and
 *       {@code containsString}, and passes {@code isNotEqualTo}, {@code isNotIn} and {@code not(...)}
 *       of a failing condition.</li>
 * </ul>
 *
 * <p>One difference: where LangChain4j's in-memory store throws on a value of another type
 * than the condition's (a string compared with a number), the engine's filter simply does not
 * match it. Stateless and thread-safe.
 */
final class FilterMapper {

    private FilterMapper() {}

    /**
     * The engine filter meaning {@code filter}, or null for null.
     *
     * @throws IllegalArgumentException naming a filter or value that has no meaning here
     */
    static Filter map(dev.langchain4j.store.embedding.filter.Filter filter) {
        return switch (filter) {
            case null -> null;
            case And and -> Filter.must(map(and.left()), map(and.right()));
            case Or or -> Filter.should(map(or.left()), map(or.right()));
            case Not not -> Filter.mustNot(map(not.expression()));
            case IsEqualTo c -> equalTo(c.key(), c.comparisonValue());
            case IsNotEqualTo c -> Filter.mustNot(equalTo(c.key(), c.comparisonValue()));
            case IsIn c -> in(c.key(), c.comparisonValues());
            case IsNotIn c -> Filter.mustNot(in(c.key(), c.comparisonValues()));
            case IsGreaterThan c -> compare(c.key(), c.comparisonValue(), Bound.GT);
            case IsGreaterThanOrEqualTo c -> compare(c.key(), c.comparisonValue(), Bound.GTE);
            case IsLessThan c -> compare(c.key(), c.comparisonValue(), Bound.LT);
            case IsLessThanOrEqualTo c -> compare(c.key(), c.comparisonValue(), Bound.LTE);
            // every string contains "", so the empty needle asks only for a string value
            case ContainsString c -> c.comparisonValue().isEmpty()
                    ? Filter.keywordRange(c.key(), null, "", null, null)
                    : Filter.matchText(c.key(), c.comparisonValue());
            default -> throw new IllegalArgumentException("unsupported LangChain4j filter " + filter.getClass().getName()
                    + ": " + filter);
        };
    }

    private enum Bound { GT, GTE, LT, LTE }

    private static Filter equalTo(String key, Object value) {
        return switch (scalar(key, value)) {
            case String s -> Filter.match(key, s);
            case Long l -> Filter.match(key, l);
            case Boolean b -> Filter.match(key, b);
            case Double d -> Filter.between(key, d, d);
            default -> throw new AssertionError(value);
        };
    }

    private static Filter in(String key, Collection<?> values) {
        List<Object> exact = new ArrayList<>();
        List<Filter> anyOf = new ArrayList<>();
        for (Object value : values) {
            Object scalar = scalar(key, value);
            if (scalar instanceof Double d) {
                anyOf.add(Filter.between(key, d, d));
            } else {
                exact.add(scalar);
            }
        }
        if (!exact.isEmpty()) {
            anyOf.add(Filter.matchAny(key, exact));
        }
        return anyOf.size() == 1 ? anyOf.getFirst() : Filter.should(anyOf);
    }

    private static Filter compare(String key, Object value, Bound bound) {
        Object scalar = scalar(key, value);
        if (scalar instanceof Long || scalar instanceof Double) {
            Double v = ((Number) scalar).doubleValue();
            return switch (bound) {
                case GT -> Filter.range(key, v, null, null, null);
                case GTE -> Filter.range(key, null, v, null, null);
                case LT -> Filter.range(key, null, null, v, null);
                case LTE -> Filter.range(key, null, null, null, v);
            };
        }
        if (scalar instanceof String s && !(value instanceof java.util.UUID)) {
            return switch (bound) {
                case GT -> Filter.keywordRange(key, s, null, null, null);
                case GTE -> Filter.keywordRange(key, null, s, null, null);
                case LT -> Filter.keywordRange(key, null, null, s, null);
                case LTE -> Filter.keywordRange(key, null, null, null, s);
            };
        }
        throw new IllegalArgumentException("metadata key '" + key + "' can be compared with a number or a string, got "
                + value.getClass().getName() + " " + value);
    }

    /** A filter value as the stored JSON value it is compared with: String, Long, Double or Boolean. */
    private static Object scalar(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            return MetadataPayload.toJsonValue(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filter value for metadata key '" + key + "': " + e.getMessage(), e);
        }
    }
}
