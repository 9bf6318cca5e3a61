package dev.vdb.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic points for the tests: the vector of an id depends only on the id and dimension. */
final class TestPoints {
    private TestPoints() {}

    static float[] vector(long id, int dimension) {
        SplittableRandom r = new SplittableRandom(id * 7919 + dimension);
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** A point as a JSON-ready map: {@code {"id":id,"vector":[..],"payload":{..}}}. */
    static Map<String, Object> point(long id, int dimension, Map<String, Object> payload) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("vector", vector(id, dimension));
        p.put("payload", payload);
        return p;
    }

    static String upsertBody(long firstId, int n, int dimension) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (long id = firstId; id < firstId + n; id++) {
            points.add(point(id, dimension, Map.of("n", id, "tag", "t" + (id % 3), "nested", Map.of("x", id * 0.5))));
        }
        return ApiClient.json(Map.of("points", points));
    }
}
