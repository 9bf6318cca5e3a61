package dev.vdb.engine.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.payload.field.FieldIndex;
import dev.vdb.engine.recovery.DerivedFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
public final class PayloadIndexes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, FieldIndex> byField = new LinkedHashMap<>();
    /** Whether some index's field is written with {@code []} (Qdrant's array mark). */
    private boolean bracketed;

    /** Whether there is no index at all. */
    public boolean isEmpty() {
        return byField.isEmpty();
    }

    /** The index on {@code field}, or null. */
    public FieldIndex field(String field) {
        return byField.get(field);
    }

    /**
     * The index holding the values a condition on {@code key} reads: the one on that field, or
     * else one whose key walks the same path ({@code "diet[].food"} and {@code "diet.food"}); or null.
     */
    public FieldIndex forKey(String key) {
        FieldIndex exact = byField.get(key);
        if (exact != null || !key.contains("[]") && !bracketed) {
            return exact; // without [] on either side, only the exact key walks the same path
        }
        String[] path = PayloadMatcher.path(key);
        for (FieldIndex index : byField.values()) {
            if (Arrays.equals(path, PayloadMatcher.path(index.field()))) {
                return index;
            }
        }
        return null;
    }

    public void put(FieldIndex index) {
        byField.put(index.field(), index);
        bracketed |= index.field().contains("[]");
    }

    /** Takes out the index on {@code field}, if there is one. */
    public void drop(String field) {
        byField.remove(field);
        bracketed = byField.keySet().stream().anyMatch(f -> f.contains("[]"));
    }

    /** Indexes a newly published (or re-published) ordinal's payload in every index. */
    public void add(int ordinal, Map<String, Object> payload) {
        if (!byField.isEmpty()) {
            add(ordinal, PayloadValues.toTree(payload));
        }
    }

    /** Indexes a newly published (or re-published) ordinal's payload in every index. */
    public void add(int ordinal, ObjectNode payload) {
        for (FieldIndex index : byField.values()) {
            index.add(ordinal, payload);
        }
    }

    /** Loads many payloads at once (a rebuild): indexes may defer reorganising until the end. */
    public void addAll(java.util.function.Consumer<java.util.function.BiConsumer<Integer, ObjectNode>> payloads) {
        byField.values().forEach(FieldIndex::startBulk);
        payloads.accept(this::add);
        byField.values().forEach(FieldIndex::finishBulk);
    }

    public void remove(int ordinal) {
        for (FieldIndex index : byField.values()) {
            index.remove(ordinal);
        }
    }

    /** Field → schema, sorted by field. */
    public Map<String, PayloadSchema> schemas() {
        Map<String, PayloadSchema> out = new TreeMap<>();
        byField.forEach((field, index) -> out.put(field, index.schema()));
        return Collections.unmodifiableMap(out);
    }

    private static final int MAGIC = 0x56504958; // "VPIX"
    private static final int FORMAT_VERSION = 1;

    /**
     * A snapshot of every index (magic, format version, then each index's entries), for a file
     * written by the derived-file protocol. Under the state read lock, so no write lands meanwhile.
     */
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeInt(MAGIC);
            data.writeInt(FORMAT_VERSION);
            data.writeInt(byField.size());
            for (FieldIndex index : byField.values()) {
                index.writeTo(data);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array cannot fail
        }
        return bytes.toByteArray();
    }

    /**
     * The indexes of a {@link #snapshot} written to {@code file}, after checking it is the file {@code state}
     * recorded and holds exactly the indexes {@code definitions} names.
     *
     * @throws IOException naming what is wrong with the file
     */
    public static PayloadIndexes load(Path file, DerivedFiles.FileState state, Map<String, PayloadSchema> definitions)
            throws IOException {
        DerivedFiles.verify(file, state);
        PayloadIndexes indexes = new PayloadIndexes();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a payload-index snapshot");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("payload-index snapshot format " + version + ", expected " + FORMAT_VERSION);
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                indexes.put(FieldIndex.readFrom(in));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged payload-index snapshot: " + e.getMessage(), e);
        }
        if (!indexes.schemas().equals(definitions)) {
            throw new IOException("it holds indexes " + indexes.schemas() + ", RocksDB defines " + definitions);
        }
        return indexes;
    }

    /** The definitions as stored in RocksDB: a JSON object of field → schema name. */
    public static byte[] encodeDefinitions(Map<String, PayloadSchema> schemas) {
        ObjectNode node = JSON.createObjectNode();
        schemas.forEach((field, schema) -> node.put(field, schema.apiName()));
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Map<String, PayloadSchema> decodeDefinitions(byte[] stored) {
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
