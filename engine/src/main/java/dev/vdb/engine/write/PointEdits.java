package dev.vdb.engine.write;

import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.payload.PayloadValues;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The changes behind the payload and vector updates, each a function from a stored point to its
 * new version (rewritten as one upsert), with the validation of their arguments. Arguments are
 * validated and copied when the edit is made, so a caller's later change cannot reach it.
 */
public final class PointEdits {

    private PointEdits() {}

    /** Adds {@code payload}'s keys to a point's payload, replacing the values of keys it has. */
    public static UnaryOperator<Point> mergePayload(Map<String, ?> payload) {
        Map<String, Object> added = PayloadValues.copyOf(payload);
        return p -> {
            Map<String, Object> merged = new LinkedHashMap<>(p.payload());
            merged.putAll(added);
            return new Point(p.id(), p.vector(), merged, p.text());
        };
    }

    /** Replaces a point's whole payload (null or empty clears it). */
    public static UnaryOperator<Point> replacePayload(Map<String, ?> payload) {
        Map<String, Object> replacement = PayloadValues.copyOf(payload);
        return p -> new Point(p.id(), p.vector(), replacement, p.text());
    }

    /** Removes {@code keys} from a point's payload. */
    public static UnaryOperator<Point> removePayloadKeys(List<String> keys) {
        if (keys == null || keys.isEmpty() || keys.stream().anyMatch(k -> k == null || k.isEmpty())) {
            throw new IllegalArgumentException("keys must be a non-empty list of non-empty strings, got " + keys);
        }
        List<String> removed = List.copyOf(keys);
        return p -> {
            Map<String, Object> kept = new LinkedHashMap<>(p.payload());
            kept.keySet().removeAll(removed);
            return new Point(p.id(), p.vector(), kept, p.text());
        };
    }

    /** Gives each point the vector {@code vectors} holds for its id (validated first). */
    public static UnaryOperator<Point> replaceVectors(Map<PointId, float[]> vectors) {
        Map<PointId, float[]> copies = new LinkedHashMap<>();
        vectors.forEach((id, vector) -> copies.put(id, vector.clone()));
        return p -> new Point(p.id(), copies.get(p.id()), p.payload(), p.text());
    }

    /** Checks a vector update: no null id, each vector of the collection's dimension, within the batch limit. */
    public static void validateVectors(Map<PointId, float[]> vectors, int dimension, int maxBatchPoints) {
        if (vectors == null) {
            throw new IllegalArgumentException("vectors must not be null");
        }
        if (vectors.size() > maxBatchPoints) {
            throw new IllegalArgumentException("vectors holds " + vectors.size()
                    + " points, more than the batch limit of " + maxBatchPoints);
        }
        vectors.forEach((id, vector) -> {
            if (id == null) {
                throw new IllegalArgumentException("vectors must not hold a null id");
            }
            PointValidator.checkVector(vector, dimension, "vector", " (id " + id + ")");
        });
    }

    /** Fails, naming the first missing id, unless every one of {@code ids} was found. */
    public static Consumer<List<Point>> requireAll(List<PointId> ids) {
        return found -> {
            if (found.size() != ids.size()) {
                Set<PointId> present = new HashSet<>();
                found.forEach(p -> present.add(p.id()));
                PointId missing = ids.stream().filter(id -> !present.contains(id)).findFirst().orElseThrow();
                throw new IllegalArgumentException("point " + missing + " does not exist: its vector cannot be updated");
            }
        };
    }
}
