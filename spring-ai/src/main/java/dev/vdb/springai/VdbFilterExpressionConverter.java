package dev.vdb.springai;

import dev.vdb.engine.filter.Filter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.springframework.ai.vectorstore.filter.Filter.Expression;
import org.springframework.ai.vectorstore.filter.Filter.Group;
import org.springframework.ai.vectorstore.filter.Filter.Key;
import org.springframework.ai.vectorstore.filter.Filter.Operand;
import org.springframework.ai.vectorstore.filter.Filter.Value;

/**
 * Converts a Spring AI filter {@link Expression} (as built by {@code FilterExpressionBuilder} or
 * parsed from text such as {@code "country == 'BG' && year >= 2020"}) into the engine's
 * {@link Filter}, with the meaning Spring AI's reference store, {@code SimpleVectorStore},
 * gives it, so an application moving from it finds the same documents:
 *
 * <ul>
 *   <li>numbers compare by value whatever their type ({@code 2020} equals {@code 2020.0});
 *       strings by {@link String#compareTo}; a {@link Date} as its ISO-8601 UTC string
 *       ({@code yyyy-MM-dd'T'HH:mm:ss'Z'}), as SimpleVectorStore stores dates;</li>
 *   <li>a missing (or null) key is "less than everything": it fails {@code ==}, {@code >},
 *       {@code >=} and {@code IN}, and passes {@code !=}, {@code NIN}, {@code <} and {@code <=};
 *       {@code IS NULL} holds for it and {@code IS NOT NULL} does not.</li>
 * </ul>
 *
 * <p>Differences: where SimpleVectorStore throws on values of unlike types (a string compared
 * with a number), the engine's filter does not match; {@code IS NULL} also holds for an empty
 * list. Keys may be quoted ({@code 'country'}); a dotted key reaches into nested metadata.
 * Stateless and thread-safe.
 */
public final class VdbFilterExpressionConverter {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The engine filter meaning {@code expression}.
     *
     * @throws IllegalArgumentException naming an operand or value that has no meaning here
     */
    public Filter convertExpression(Expression expression) {
        return convert(expression);
    }

    private Filter convert(Operand operand) {
        if (operand instanceof Group group) {
            return convert(group.content());
        }
        if (!(operand instanceof Expression e)) {
            throw new IllegalArgumentException("expected an expression or a group, got " + operand);
        }
        return switch (e.type()) {
            case AND -> Filter.must(convert(e.left()), convert(right(e)));
            case OR -> Filter.should(convert(e.left()), convert(right(e)));
            case NOT -> Filter.mustNot(convert(e.left()));
            case EQ -> equalTo(key(e), value(e));
            case NE -> Filter.mustNot(equalTo(key(e), value(e)));
            case GT -> compare(key(e), value(e), true, false);
            case GTE -> compare(key(e), value(e), true, true);
            // a missing key is less than every value
            case LT -> Filter.should(compare(key(e), value(e), false, false), Filter.isEmpty(key(e)));
            case LTE -> Filter.should(compare(key(e), value(e), false, true), Filter.isEmpty(key(e)));
            case IN -> in(key(e), list(e));
            case NIN -> Filter.mustNot(in(key(e), list(e)));
            case ISNULL -> Filter.isEmpty(key(e));
            case ISNOTNULL -> Filter.mustNot(Filter.isEmpty(key(e)));
        };
    }

    private static Operand right(Expression e) {
        if (e.right() == null) {
            throw new IllegalArgumentException(e.type() + " needs a right operand: " + e);
        }
        return e.right();
    }

    private static String key(Expression e) {
        if (!(e.left() instanceof Key key)) {
            throw new IllegalArgumentException(e.type() + " needs a key on its left, got " + e.left());
        }
        String k = key.key();
        if (k.length() >= 2 && ((k.startsWith("'") && k.endsWith("'")) || (k.startsWith("\"") && k.endsWith("\"")))) {
            k = k.substring(1, k.length() - 1);
        }
        return k;
    }

    private static Object value(Expression e) {
        if (!(right(e) instanceof Value value) || value.value() == null) {
            throw new IllegalArgumentException(e.type() + " needs a value on its right, got " + e.right());
        }
        return scalar(value.value());
    }

    private static List<?> list(Expression e) {
        if (!(right(e) instanceof Value value) || !(value.value() instanceof List<?> values) || values.isEmpty()) {
            throw new IllegalArgumentException(e.type() + " needs a non-empty list of values, got " + e.right());
        }
        return values.stream().map(VdbFilterExpressionConverter::scalar).toList();
    }

    /** A filter value as the JSON scalar it is compared with: String, Long, Double or Boolean. */
    private static Object scalar(Object value) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i.longValue();
            case Long l -> l;
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Number n -> n.doubleValue();
            case Date d -> DATE.format(d.toInstant());
            case null -> throw new IllegalArgumentException("a filter value must not be null");
            default -> throw new IllegalArgumentException("a filter value must be a string, number, boolean or date, got "
                    + value.getClass().getName() + " " + value);
        };
    }

    private static Filter equalTo(String key, Object value) {
        return switch (value) {
            case String s -> Filter.match(key, s);
            case Long l -> Filter.match(key, l);
            case Boolean b -> Filter.match(key, b);
            case Double d -> Filter.between(key, d, d);
            default -> throw new IllegalStateException("not a scalar: " + value);
        };
    }

    private static Filter in(String key, List<?> values) {
        List<Object> exact = new ArrayList<>();
        List<Filter> anyOf = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Double d) {
                anyOf.add(Filter.between(key, d, d));
            } else {
                exact.add(value);
            }
        }
        if (!exact.isEmpty()) {
            anyOf.add(Filter.matchAny(key, exact));
        }
        return anyOf.size() == 1 ? anyOf.getFirst() : Filter.should(anyOf);
    }

    private static Filter compare(String key, Object value, boolean greater, boolean orEqual) {
        if (value instanceof Long || value instanceof Double) {
            Double v = ((Number) value).doubleValue();
            return greater ? Filter.range(key, orEqual ? null : v, orEqual ? v : null, null, null)
                    : Filter.range(key, null, null, orEqual ? null : v, orEqual ? v : null);
        }
        if (value instanceof String s) {
            return greater ? Filter.keywordRange(key, orEqual ? null : s, orEqual ? s : null, null, null)
                    : Filter.keywordRange(key, null, null, orEqual ? null : s, orEqual ? s : null);
        }
        throw new IllegalArgumentException("'" + key + "' can be ordered against a number, string or date, got " + value);
    }
}
