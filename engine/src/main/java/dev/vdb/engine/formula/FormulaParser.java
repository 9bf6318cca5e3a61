package dev.vdb.engine.formula;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.filter.DateTimes;
import dev.vdb.engine.filter.FilterParser;
import dev.vdb.engine.filter.GeoPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Qdrant's formula JSON into an {@link Expression}: a number; a string ({@code $score},
 * {@code $score[i]}, or a payload key); an object of one operation ({@code mult}, {@code sum},
 * {@code neg}, {@code abs}, {@code div}, {@code sqrt}, {@code pow}, {@code exp}, {@code log10},
 * {@code ln}, {@code geo_distance}, {@code datetime}, {@code datetime_key}, {@code lin_decay},
 * {@code exp_decay}, {@code gauss_decay}); or any other object, a filter condition. Errors name
 * the part by its path. Stateless and thread-safe.
 */
final class FormulaParser {

    /** Deeper nesting is refused, as filters refuse it. */
    static final int MAX_DEPTH = FilterParser.MAX_DEPTH;
    private static final Pattern SCORE = Pattern.compile("\\$score(?:\\[(\\d{1,4})])?");
    private static final Set<String> UNARY = Set.of("neg", "abs", "sqrt", "exp", "log10", "ln");
    private static final Set<String> DECAYS = Set.of("lin_decay", "exp_decay", "gauss_decay");
    private static final Set<String> OPERATIONS = Set.of("mult", "sum", "neg", "abs", "div", "sqrt", "pow", "exp",
            "log10", "ln", "geo_distance", "datetime", "datetime_key", "lin_decay", "exp_decay", "gauss_decay");

    private FormulaParser() {}

    static Formula parse(JsonNode formula, JsonNode defaults) {
        Expression root = expression(formula, "formula", 0);
        Map<String, JsonNode> byVariable = new HashMap<>();
        if (defaults != null && !defaults.isNull()) {
            if (!defaults.isObject()) {
                throw bad("defaults", "must be an object of variable to value", defaults);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Matcher score = SCORE.matcher(e.getKey());
                byVariable.put(score.matches() ? scoreVariable(prefetchOf(score)) : e.getKey(), e.getValue());
            }
        }
        return new Formula(root, byVariable);
    }

    /** The default's key of the score in prefetch {@code i}. */
    static String scoreVariable(int i) {
        return "$score[" + i + "]";
    }

    private static Expression expression(JsonNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + " nests deeper than " + MAX_DEPTH + " levels");
        }
        if (node == null || node.isNull()) {
            throw bad(path, "must be a number, a variable or an expression", node);
        }
        if (node.isNumber()) {
            return new Expression.Constant(finite(node, path));
        }
        if (node.isTextual()) {
            Matcher score = SCORE.matcher(node.textValue());
            if (score.matches()) {
                return new Expression.Score(prefetchOf(score));
            }
            if (node.textValue().isEmpty() || node.textValue().startsWith("$")) {
                throw bad(path, "must be $score, $score[i] or a payload key", node);
            }
            return new Expression.PayloadNumber(node.textValue());
        }
        if (!node.isObject()) {
            throw bad(path, "must be a number, a variable or an expression", node);
        }
        String kind = node.size() == 1 ? node.fieldNames().next() : null;
        if (kind == null || !OPERATIONS.contains(kind)) {
            return new Expression.Condition(FilterParser.parse(node, path));
        }
        JsonNode arg = node.get(kind);
        String at = path + "." + kind;
        if (UNARY.contains(kind)) {
            return new Expression.Unary(kind, expression(arg, at, depth + 1));
        }
        if (DECAYS.contains(kind)) {
            return decay(kind, arg, at, depth);
        }
        return switch (kind) {
            case "mult" -> new Expression.Mult(list(arg, at, depth));
            case "sum" -> new Expression.Sum(list(arg, at, depth));
            case "div" -> {
                onlyFields(arg, at, Set.of("left", "right", "by_zero_default"));
                JsonNode byZero = arg.get("by_zero_default");
                yield new Expression.Div(expression(arg.get("left"), at + ".left", depth + 1),
                        expression(arg.get("right"), at + ".right", depth + 1),
                        byZero == null || byZero.isNull() ? null : finite(byZero, at + ".by_zero_default"));
            }
            case "pow" -> {
                onlyFields(arg, at, Set.of("base", "exponent"));
                yield new Expression.Pow(expression(arg.get("base"), at + ".base", depth + 1),
                        expression(arg.get("exponent"), at + ".exponent", depth + 1));
            }
            case "geo_distance" -> {
                onlyFields(arg, at, Set.of("origin", "to"));
                yield new Expression.GeoDistance(geoPoint(arg.get("origin"), at + ".origin"), key(arg.get("to"), at + ".to"));
            }
            case "datetime" -> {
                Long micros = arg.isTextual() ? DateTimes.parseMicros(arg.textValue()) : null;
                if (micros == null) {
                    throw bad(at, "must be a date-time like 2014-01-01T00:00:00Z", arg);
                }
                yield new Expression.DateTime(micros, null);
            }
            default -> new Expression.DateTime(null, key(arg, at)); // datetime_key
        };
    }

    /**
     * A decay and its λ from {@code scale} (default 1, positive) and {@code midpoint} (default
     * 0.5; within [0, 1] for the linear one, (0, 1) for the others), as Qdrant computes it.
     */
    private static Expression decay(String kind, JsonNode params, String at, int depth) {
        onlyFields(params, at, Set.of("x", "target", "scale", "midpoint"));
        JsonNode s = params.get("scale");
        JsonNode m = params.get("midpoint");
        double scale = s == null || s.isNull() ? 1 : finite(s, at + ".scale");
        double midpoint = m == null || m.isNull() ? 0.5 : finite(m, at + ".midpoint");
        if (scale <= 0) {
            throw bad(at + ".scale", "must be positive", s);
        }
        boolean linear = kind.equals("lin_decay");
        if (linear ? midpoint < 0 || midpoint > 1 : midpoint <= 0 || midpoint >= 1) {
            throw bad(at + ".midpoint", linear ? "must be within [0, 1]" : "must be within (0, 1), both excluded", m);
        }
        double lambda = switch (kind) {
            case "lin_decay" -> (1 - midpoint) / scale;
            case "exp_decay" -> Math.log(midpoint) / scale;
            default -> Math.log(midpoint) / (scale * scale);
        };
        JsonNode target = params.get("target");
        return new Expression.Decay(kind, expression(params.get("x"), at + ".x", depth + 1),
                target == null || target.isNull() ? null : expression(target, at + ".target", depth + 1), lambda);
    }

    private static List<Expression> list(JsonNode node, String path, int depth) {
        if (node == null || !node.isArray()) {
            throw bad(path, "must be an array of expressions", node);
        }
        List<Expression> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(expression(node.get(i), path + "[" + i + "]", depth + 1));
        }
        return out;
    }

    private static int prefetchOf(Matcher score) {
        return score.group(1) == null ? 0 : Integer.parseInt(score.group(1));
    }

    private static GeoPoint geoPoint(JsonNode node, String path) {
        if (node == null || !node.isObject() || !node.path("lat").isNumber() || !node.path("lon").isNumber()) {
            throw bad(path, "must be an object like {\"lat\": 52.5, \"lon\": 13.4}", node);
        }
        try {
            return new GeoPoint(node.get("lat").doubleValue(), node.get("lon").doubleValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static String key(JsonNode node, String path) {
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw bad(path, "must be a payload key", node);
        }
        return node.textValue();
    }

    private static double finite(JsonNode node, String path) {
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw bad(path, "must be a finite number", node);
        }
        return node.doubleValue();
    }

    private static void onlyFields(JsonNode node, String path, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw bad(path, "must be an object with " + String.join(", ", allowed.stream().sorted().toList()), node);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(path + " has unknown field '" + name + "' (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static IllegalArgumentException bad(String path, String rule, JsonNode got) {
        String shown = got == null ? "nothing" : got.toString();
        return new IllegalArgumentException(path + " " + rule + ", got " + (shown.length() > 80 ? shown.substring(0, 77) + "..." : shown));
    }
}
