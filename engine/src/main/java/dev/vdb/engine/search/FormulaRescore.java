package dev.vdb.engine.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.formula.Formula;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Qdrant's formula query: the candidates of some prefetches (their union, each with its score in
 * every list it is in) scored by a {@link Formula} over those scores and their payloads, best
 * first (ties in the order the candidates were met), above an optional threshold. Stateless.
 */
public final class FormulaRescore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FormulaRescore() {}

    /**
     * The best {@code limit} candidates by {@code formula}.
     *
     * @param prefetches each prefetch's hits (their scores are the {@code $score[i]} of the formula)
     * @param threshold null for none; else only values at least this
     * @throws IllegalArgumentException when the formula cannot be evaluated for a candidate
     */
    public static List<ScoredPoint> rescore(VectorCollection collection, List<List<ScoredPoint>> prefetches,
                                            Formula formula, int limit, Float threshold, boolean withPayload,
                                            boolean withVector) {
        Map<PointId, float[]> scores = new LinkedHashMap<>();
        for (int i = 0; i < prefetches.size(); i++) {
            for (ScoredPoint hit : prefetches.get(i)) {
                float[] s = scores.computeIfAbsent(hit.id(), id -> {
                    float[] none = new float[prefetches.size()];
                    Arrays.fill(none, Float.NaN);
                    return none;
                });
                if (Float.isNaN(s[i])) { // a list holds a point once; keep its first score if it repeats
                    s[i] = hit.score();
                }
            }
        }
        List<Point> points = collection.get(List.copyOf(scores.keySet()));
        List<ScoredPoint> scored = new ArrayList<>(points.size());
        for (Point p : points) {
            ObjectNode payload = p.payload() == null ? null : JSON.valueToTree(p.payload());
            double value = formula.score(scores.get(p.id()), p.id(), payload);
            if (threshold == null || value >= threshold) {
                scored.add(new ScoredPoint(p.id(), (float) value, withPayload ? p.payload() : null,
                        withVector ? p.vector() : null));
            }
        }
        scored.sort(Comparator.comparingDouble((ScoredPoint h) -> -h.score())); // stable: ties keep the order met
        return scored.subList(0, Math.min(limit, scored.size()));
    }
}
