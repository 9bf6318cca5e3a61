package dev.vdb.engine.payload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Payloads as the public API holds them, {@code Map<String, Object>} of JSON values (String,
 * Boolean, a Number, null, a List of JSON values, a Map of JSON values), and their JSON form
 * inside the engine. Stateless and thread-safe; every method allocates its result.
 */
public final class PayloadValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private PayloadValues() {}

    /**
     * A deep, unmodifiable copy of {@code payload} (empty for null), keeping key order.
     *
     * @throws IllegalArgumentException naming the path of a value that is not JSON
     */
    public static Map<String, Object> copyOf(Map<String, ?> payload) {
        if (payload == null || payload.isEmpty()) {
            return Map.of();
        }
        return copyMap(payload, "payload");
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String path) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + " must have string keys, got " + e.getKey());
            }
            out.put(key, copyValue(e.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object copyValue(Object value, String path) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Short s -> s.intValue();
            case Byte b -> b.intValue();
            case BigInteger i -> i;
            case Double d -> finite(d, path);
            case Float f -> finite(f.doubleValue(), path);
            case BigDecimal d -> d;
            case Map<?, ?> m -> copyMap(m, path);
            case List<?> list -> {
                List<Object> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    out.add(copyValue(list.get(i), path + "[" + i + "]"));
                }
                yield Collections.unmodifiableList(out);
            }
            default -> throw new IllegalArgumentException(path + " must be a string, number, boolean, null, list or map,"
                    + " got a " + value.getClass().getName());
        };
    }

    private static Double finite(double d, String path) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(path + " must be a finite number, got " + d);
        }
        return d;
    }

    /** The payload as a JSON object tree, for payload indexes and filters. */
    public static ObjectNode toTree(Map<String, Object> payload) {
        return JSON.valueToTree(payload);
    }

    /** The payload as JSON bytes; an empty one, a bulk load's usual case, without Jackson. */
    public static byte[] toJson(Map<String, Object> payload) {
        if (payload.isEmpty()) {
            return new byte[] {'{', '}'};
        }
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The size of the payload's JSON form (what is stored), or {@code limit + 1} once it is known
     * to exceed {@code limit}: serialisation stops there, and nothing is kept but a count.
     */
    public static long jsonBytes(Map<String, Object> payload, long limit) {
        CountingSink sink = new CountingSink(limit);
        try {
            JSON.writeValue(sink, payload);
            return sink.count;
        } catch (IOException e) {
            // the sink's refusal, perhaps wrapped by a serializer
            if (sink.count > limit) {
                return limit + 1;
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Counts bytes written, failing once they pass a limit. */
    private static final class CountingSink extends java.io.OutputStream {
        private final long limit;
        long count;

        CountingSink(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            add(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            add(len);
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > limit) {
                throw new IOException("past the limit of " + limit + " bytes");
            }
        }
    }

    /** A JSON object (bytes {@code [offset, offset + length)}) as an unmodifiable map. */
    public static Map<String, Object> fromJson(byte[] json, int offset, int length) {
        if (length == 2 && json[offset] == '{' && json[offset + 1] == '}') {
            return Map.of(); // a point without payload: no parser needed
        }
        try {
            return copyMap(JSON.readValue(json, offset, length, MAP), "payload");
        } catch (IOException e) {
            throw new IllegalStateException("corrupt payload JSON", e);
        }
    }

    /** A JSON object tree as an unmodifiable map. */
    static Map<String, Object> fromTree(JsonNode tree) {
        return copyMap(JSON.convertValue(tree, MAP), "payload");
    }
}
