package dev.vdb.langchain4j;

import dev.langchain4j.data.document.Metadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * LangChain4j {@link Metadata} as a point's payload and back. Values are stored as JSON: a
 * {@link UUID} as its string, an {@code Integer} or {@code Long} as an integer, a {@code Double}
 * as is and a {@code Float} as the double of its shortest decimal form ({@code 1.1f} becomes
 * {@code 1.1}, not {@code 1.100000023841858}), which is how LangChain4j compares numbers (by
 * decimal value). Reading back gives JSON's types: a UUID returns as a String, integers as
 * Integer or Long by magnitude, decimals as Double; {@link Metadata}'s typed getters
 * ({@code getUUID}, {@code getFloat}, ...) return the values that were put. Payload values that
 * {@link Metadata} cannot hold (booleans, nulls, lists, objects, written by other clients) are
 * left out of it. Stateless and thread-safe.
 */
final class MetadataPayload {

    private MetadataPayload() {}

    static Map<String, Object> toPayload(Metadata metadata) {
        Map<String, Object> payload = new LinkedHashMap<>();
        metadata.toMap().forEach((key, value) -> payload.put(key, toJsonValue(value)));
        return payload;
    }

    static Metadata toMetadata(Map<String, Object> payload) {
        Map<String, Object> values = new LinkedHashMap<>();
        payload.forEach((key, value) -> {
            if (value instanceof String || value instanceof Integer || value instanceof Long
                    || value instanceof Double) {
                values.put(key, value);
            }
        });
        return Metadata.from(values);
    }

    /**
     * A metadata or filter value as the JSON value it is stored and compared as.
     *
     * @throws IllegalArgumentException for a type LangChain4j metadata does not hold
     */
    static Object toJsonValue(Object value) {
        return switch (value) {
            case String s -> s;
            case UUID u -> u.toString();
            case Integer i -> i.longValue();
            case Long l -> l;
            case Float f -> decimal(f);
            case Double d -> d;
            case null, default -> throw new IllegalArgumentException("a metadata value must be a String, UUID, Integer,"
                    + " Long, Float or Double, got " + (value == null ? "null" : value.getClass().getName() + " " + value));
        };
    }

    /** The double whose shortest decimal form is the float's: {@code 1.1f} gives {@code 1.1}. */
    static double decimal(float f) {
        return Double.parseDouble(Float.toString(f));
    }
}
