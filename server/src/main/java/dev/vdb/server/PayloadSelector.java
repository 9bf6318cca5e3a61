package dev.vdb.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which payload keys an answer carries, as Qdrant's {@code with_payload} says it: {@code true}
 * (all), {@code false} (none), a list of keys, or {@code {"include":[..]}} / {@code {"exclude":[..]}}.
 * Keys are top-level payload keys (a dotted key selects the whole top-level key it starts with).
 * Immutable and thread-safe.
 *
 * @param include the keys to keep, or null for all
 * @param exclude the keys to drop, or null for none
 */
record PayloadSelector(boolean any, List<String> include, List<String> exclude) {
    static final PayloadSelector ALL = new PayloadSelector(true, null, null);
    static final PayloadSelector NONE = new PayloadSelector(false, null, null);

    static PayloadSelector of(boolean all) {
        return all ? ALL : NONE;
    }

    /** Parses a {@code with_payload} value; errors name {@code field}. */
    static PayloadSelector parse(JsonNode node, String field) {
        if (node.isBoolean()) {
            return of(node.booleanValue());
        }
        if (node.isArray()) {
            return new PayloadSelector(true, keys(node, field), null);
        }
        if (node.isObject() && node.size() == 1 && (node.has("include") || node.has("exclude"))) {
            boolean include = node.has("include");
            List<String> keys = keys(node.get(include ? "include" : "exclude"), field + (include ? ".include" : ".exclude"));
            return include ? new PayloadSelector(true, keys, null) : new PayloadSelector(true, null, keys);
        }
        throw new IllegalArgumentException(field + " must be true, false, a list of payload keys, {\"include\":[..]} or "
                + "{\"exclude\":[..]}, got " + Json.quote(node.toString()));
    }

    private static List<String> keys(JsonNode node, String field) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(field + " must be an array of payload keys, got "
                    + (node == null ? "nothing" : Json.quote(node.toString())));
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual() || node.get(i).asText().isEmpty()) {
                throw new IllegalArgumentException(field + "[" + i + "] must be a non-empty string, got "
                        + Json.quote(node.get(i).toString()));
            }
            keys.add(topLevel(node.get(i).asText()));
        }
        return keys;
    }

    private static String topLevel(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    /** The selected part of a payload (null in, null out). */
    Map<String, Object> apply(Map<String, Object> payload) {
        if (payload == null || (include == null && exclude == null)) {
            return payload;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : payload.entrySet()) {
            boolean keep = include != null ? include.contains(e.getKey()) : !exclude.contains(e.getKey());
            if (keep) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
