package dev.vdb.engine.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.TextConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A collection's catalog entry, stored as JSON in the default column family under
 * {@code collection/<name>}: {@code {"format":2,"name":..,"number":..,"config":{"dimension":..,
 * "distance":"Cosine","hnsw":{"m":..,"efConstruct":..},"text":{"analyzer":..,"k1":..,"b":..},
 * "quantization":{"type":"int8","quantile":..,"alwaysRam":..} or {"type":"binary","alwaysRam":..}}}}
 * (no {@code quantization}: none, as entries written before it existed).
 * The codec is explicit so that renaming a Java type never changes the stored form; snapshot
 * manifests store the config in the same form ({@link #configJson}).
 *
 * <p>Format 2 (this version) keeps the collection's records in the shared {@code points} column
 * family under the prefix of its number; format 1 (older versions) named a column family of its
 * own ({@code "columnFamily"} instead of {@code "number"}), which is still read and used.
 *
 * @param format catalog entry format version: {@value #FORMAT}, or {@value #COLUMN_FAMILY_FORMAT}
 * @param number the collection's number (its key prefix), fresh per creation so a dropped and
 *     re-created collection never sees old data; -1 in format 1
 * @param columnFamily the column family of its own in format 1, else null
 */
public record StoredCollection(int format, String name, long number, String columnFamily, CollectionConfig config) {
    static final int FORMAT = 2;
    static final int COLUMN_FAMILY_FORMAT = 1;
    /** The catalog's keys: this prefix and the collection name. */
    public static final String CATALOG_PREFIX = "collection/";
    /** The default column family's key of the number the next collection gets. */
    public static final String NEXT_NUMBER_KEY = "next_collection_number";
    /**
     * The default column family's keys of the numbers a snapshot recovery is filling: this prefix
     * and the number in decimal, written (synced) before any record under the number and deleted
     * in the batch that publishes or discards it.
     */
    public static final String STAGED_PREFIX = "staged/";
    /** The column family every format-2 collection's records share. */
    public static final String POINTS_COLUMN_FAMILY = "points";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A new collection's entry. */
    static StoredCollection of(String name, long number, CollectionConfig config) {
        return new StoredCollection(FORMAT, name, number, null, config);
    }

    /** The name its derived files are named after: unique per creation, as its records' place is. */
    public String fileStem() {
        return columnFamily != null ? columnFamily : "c." + name + "." + number;
    }

    byte[] encode() {
        ObjectNode root = JSON.createObjectNode().put("format", format).put("name", name);
        if (format == FORMAT) {
            root.put("number", number);
        } else {
            root.put("columnFamily", columnFamily);
        }
        root.set("config", configJson(config));
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The config as the catalog stores it. */
    public static ObjectNode configJson(CollectionConfig config) {
        ObjectNode c = JSON.createObjectNode().put("dimension", config.dimension())
                .put("distance", config.distance().apiName());
        if (!config.vectorName().isEmpty()) {
            c.put("vectorName", config.vectorName()); // absent in entries written before names: unnamed
        }
        c.putObject("hnsw").put("m", config.hnsw().m()).put("efConstruct", config.hnsw().efConstruct());
        c.putObject("text").put("analyzer", config.text().analyzer()).put("k1", config.text().k1())
                .put("b", config.text().b());
        switch (config.quantization()) {
            case null -> { }
            case QuantizationConfig.Scalar s -> c.putObject("quantization").put("type", "int8")
                    .put("quantile", s.quantile()).put("alwaysRam", s.alwaysRam());
            case QuantizationConfig.Binary b -> c.putObject("quantization").put("type", "binary")
                    .put("alwaysRam", b.alwaysRam());
        }
        return c;
    }

    /** The config {@link #configJson} wrote; IllegalArgumentException when it is not one. */
    public static CollectionConfig configOf(JsonNode c) {
        JsonNode hnsw = c.path("hnsw");
        JsonNode text = c.path("text");
        return new CollectionConfig(c.path("dimension").asInt(),
                Distance.parse(c.path("distance").asText(null)),
                new HnswConfig(hnsw.path("m").asInt(), hnsw.path("efConstruct").asInt()),
                new TextConfig(text.path("analyzer").asText(null), (float) text.path("k1").asDouble(),
                        (float) text.path("b").asDouble()),
                quantizationOf(c.path("quantization")), c.path("vectorName").asText(""));
    }

    private static QuantizationConfig quantizationOf(JsonNode q) {
        if (q.isMissingNode() || q.isNull()) {
            return null;
        }
        String type = q.path("type").asText("");
        return switch (type) {
            case "int8" -> new QuantizationConfig.Scalar((float) q.path("quantile").asDouble(), q.path("alwaysRam").asBoolean());
            case "binary" -> new QuantizationConfig.Binary(q.path("alwaysRam").asBoolean());
            default -> throw new IllegalArgumentException("unknown quantization type '" + type + "'");
        };
    }

    /** A catalog entry's value decoded; IllegalStateException when it is damaged. */
    public static StoredCollection decode(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            int format = root.path("format").asInt(-1);
            if (format != FORMAT && format != COLUMN_FAMILY_FORMAT) {
                throw new IllegalStateException("catalog entry has unknown format " + format + " (this version reads "
                        + COLUMN_FAMILY_FORMAT + " and " + FORMAT + ")");
            }
            CollectionConfig config = configOf(root.path("config"));
            String name = root.path("name").asText(null);
            if (format == FORMAT) {
                long number = root.path("number").asLong(-1);
                if (number < 0) {
                    throw new IllegalStateException("no collection number in the entry of '" + name + "'");
                }
                return new StoredCollection(format, name, number, null, config);
            }
            return new StoredCollection(format, name, -1, root.path("columnFamily").asText(null), config);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a catalog entry is damaged: " + e.getMessage(), e);
        }
    }
}
