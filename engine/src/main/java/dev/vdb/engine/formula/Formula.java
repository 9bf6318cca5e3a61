package dev.vdb.engine.formula;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.payload.PayloadMatcher;
import java.util.List;
import java.util.Map;

/**
 * A score formula, Qdrant's formula query: an {@link Expression} over a candidate's scores in
 * the prefetches ({@code $score}, {@code $score[i]}), its payload values, conditions (1 or 0),
 * geo distances, date-times and decays, with defaults for values a candidate lacks. Built from
 * its JSON form ({@link #fromJson}). Immutable and thread-safe.
 *
 * <pre>{@code
 * ObjectMapper json = new ObjectMapper();
 * Formula f = Formula.fromJson(json.readTree(
 *         "{\"sum\":[\"$score\",{\"mult\":[0.5,{\"key\":\"tag\",\"match\":{\"value\":\"h1\"}}]}]}"), null);
 * double boosted = f.score(new float[] {0.82f}, id, payload);  // 1.32 for a point tagged h1
 * }</pre>
 */
public final class Formula {

    private final Expression root;
    /** Defaults by variable: {@code "$score[0]"} for scores, the key for payload values. */
    private final Map<String, JsonNode> defaults;

    Formula(Expression root, Map<String, JsonNode> defaults) {
        this.root = root;
        this.defaults = Map.copyOf(defaults);
    }

    /**
     * The formula of Qdrant's {@code {"formula": .., "defaults": {..}}}.
     *
     * @param defaults null for none
     * @throws IllegalArgumentException naming the offending part by its path, e.g. {@code formula.sum[1].div.right}
     */
    public static Formula fromJson(JsonNode formula, JsonNode defaults) {
        return FormulaParser.parse(formula, defaults);
    }

    public Expression root() {
        return root;
    }

    /**
     * The formula's value for one candidate.
     *
     * @param prefetchScores the candidate's score in each prefetch's hits, NaN where it is not among them
     * @throws IllegalArgumentException for a value of the wrong type, one missing without a default, or a result
     *     that is not finite, naming the variable and the point
     */
    public double score(float[] prefetchScores, PointId id, ObjectNode payload) {
        double value = root.eval(new Inputs(prefetchScores, id, payload));
        if (!Float.isFinite((float) value)) { // scores are floats
            throw new IllegalArgumentException("formula: the value for point " + id + " is " + value
                    + ", not a finite float");
        }
        return value;
    }

    /** What one evaluation reads: the candidate's scores, id and payload, and the formula's defaults. */
    public final class Inputs {
        private final float[] scores;
        private final PointId id;
        private final ObjectNode payload;

        Inputs(float[] scores, PointId id, ObjectNode payload) {
            this.scores = scores;
            this.id = id;
            this.payload = payload;
        }

        /** The score in prefetch {@code i}, else the default of {@code $score[i]}, else 0. */
        double score(int i) {
            if (i < scores.length && !Float.isNaN(scores[i])) {
                return scores[i];
            }
            JsonNode fallback = defaults.get(FormulaParser.scoreVariable(i));
            return fallback != null && fallback.isNumber() ? fallback.doubleValue() : 0;
        }

        /** The one value at {@code key}, else its default; a missing one without a default, or several, is refused. */
        JsonNode value(String key) {
            List<JsonNode> values = payload == null ? List.of() : PayloadMatcher.valuesAt(payload, key);
            if (values.size() == 1) {
                return values.getFirst();
            }
            JsonNode fallback = defaults.get(key);
            if (values.isEmpty() && fallback != null) {
                return fallback;
            }
            throw new IllegalArgumentException("formula: '" + key + "' of point " + id + " has "
                    + (values.isEmpty() ? "no value and no default" : values.size() + " values, where the formula takes one"));
        }

        boolean matches(Filter condition) {
            return PayloadMatcher.matches(condition, id, payload);
        }

        IllegalArgumentException wrongType(String key, String expected, JsonNode got) {
            String shown = got.toString();
            return new IllegalArgumentException("formula: '" + key + "' of point " + id + " must be " + expected + ", got "
                    + (shown.length() > 60 ? shown.substring(0, 57) + "..." : shown));
        }
    }
}
