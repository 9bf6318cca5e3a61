package dev.vdb.engine.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.TextConfig;
import java.io.IOException;

/**
 * A collection's catalog entry, stored as JSON in the default column family under
 * {@code collection/<name>}: {@code {"format":1,"name":..,"columnFamily":..,"config":{"dimension":..,
 * "distance":"Cosine","hnsw":{"m":..,"efConstruct":..},"text":{"analyzer":..,"k1":..,"b":..}}}}.
 * The codec is explicit so that renaming a Java type never changes the stored form.
 *
 * @param format catalog entry format version ({@value #FORMAT})
 * @param columnFamily the column family holding the collection's points; a fresh name per
 *     creation, so a dropped and re-created collection never sees old data
 */
record StoredCollection(int format, String name, String columnFamily, CollectionConfig config) {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    byte[] encode() {
        ObjectNode root = JSON.createObjectNode().put("format", format).put("name", name).put("columnFamily", columnFamily);
        ObjectNode c = root.putObject("config").put("dimension", config.dimension())
                .put("distance", config.distance().apiName());
        c.putObject("hnsw").put("m", config.hnsw().m()).put("efConstruct", config.hnsw().efConstruct());
        c.putObject("text").put("analyzer", config.text().analyzer()).put("k1", config.text().k1())
                .put("b", config.text().b());
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static StoredCollection decode(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            int format = root.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new IllegalStateException("catalog entry has unknown format " + format);
            }
            JsonNode c = root.path("config");
            JsonNode hnsw = c.path("hnsw");
            JsonNode text = c.path("text");
            CollectionConfig config = new CollectionConfig(c.path("dimension").asInt(),
                    Distance.parse(c.path("distance").asText(null)),
                    new HnswConfig(hnsw.path("m").asInt(), hnsw.path("efConstruct").asInt()),
                    new TextConfig(text.path("analyzer").asText(null), (float) text.path("k1").asDouble(),
                            (float) text.path("b").asDouble()));
            return new StoredCollection(format, root.path("name").asText(null), root.path("columnFamily").asText(null), config);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("a catalog entry is damaged: " + e.getMessage(), e);
        }
    }
}
