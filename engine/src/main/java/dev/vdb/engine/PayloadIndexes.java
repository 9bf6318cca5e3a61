package dev.vdb.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A collection's payload indexes, by field. The definitions (field → schema) are persisted in
 * RocksDB; the indexes themselves are derived state, built from the stored payloads when a
 * collection opens or an index is created, then kept current by every write.
 *
 * <p>Not thread-safe: the collection mutates it under its state write lock and reads it under
 * the read lock, so a query sees every index at one published state.
 */
final class PayloadIndexes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, PayloadFieldIndex> byField = new LinkedHashMap<>();

    /** The index on {@code field}, or null. */
    PayloadFieldIndex field(String field) {
        return byField.get(field);
    }

    void put(PayloadFieldIndex index) {
        byField.put(index.field(), index);
    }

    /** Indexes a newly published (or re-published) ordinal's payload in every index. */
    void add(int ordinal, Map<String, Object> payload) {
        if (!byField.isEmpty()) {
            add(ordinal, PayloadValues.toTree(payload));
        }
    }

    /** Indexes a newly published (or re-published) ordinal's payload in every index. */
    void add(int ordinal, ObjectNode payload) {
        for (PayloadFieldIndex index : byField.values()) {
            index.add(ordinal, payload);
        }
    }

    void remove(int ordinal) {
        for (PayloadFieldIndex index : byField.values()) {
            index.remove(ordinal);
        }
    }

    /** Field → schema, sorted by field. */
    Map<String, PayloadSchema> schemas() {
        Map<String, PayloadSchema> out = new TreeMap<>();
        byField.forEach((field, index) -> out.put(field, index.schema()));
        return Collections.unmodifiableMap(out);
    }

    /** The definitions as stored in RocksDB: a JSON object of field → schema name. */
    static byte[] encodeDefinitions(Map<String, PayloadSchema> schemas) {
        ObjectNode node = JSON.createObjectNode();
        schemas.forEach((field, schema) -> node.put(field, schema.apiName()));
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, PayloadSchema> decodeDefinitions(byte[] stored) {
        Map<String, PayloadSchema> out = new TreeMap<>();
        if (stored == null) {
            return out;
        }
        try {
            JsonNode node = JSON.readTree(stored);
            node.fields().forEachRemaining(e -> out.put(e.getKey(), PayloadSchema.parse(e.getValue().asText())));
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("stored payload index definitions are damaged: " + e.getMessage(), e);
        }
    }
}
