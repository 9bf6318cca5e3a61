package dev.vdb.engine.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.InvalidSnapshotException;
import dev.vdb.engine.db.StoredCollection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a snapshot file holds, stored as JSON near its end (docs/FORMAT.md, "Snapshot file"): its
 * kind, when it was taken, and per collection its name, config, last write sequence, point count
 * and parts (each with offset, length and CRC32C in the file); a full snapshot also its aliases.
 * Immutable.
 *
 * @param kind {@link #COLLECTION} or {@link #FULL}
 * @param aliases alias → collection (a full snapshot's, of its collections; empty otherwise and
 *     in files written before aliases)
 */
public record SnapshotManifest(String kind, Instant created, List<Entry> collections, Map<String, String> aliases) {

    public static final String COLLECTION = "collection";
    public static final String FULL = "full";
    private static final ObjectMapper JSON = new ObjectMapper();

    public SnapshotManifest {
        collections = List.copyOf(collections);
        aliases = Collections.unmodifiableMap(new TreeMap<>(aliases));
    }

    /** One collection of the snapshot. */
    public record Entry(String name, CollectionConfig config, long writeSequence, long points, List<Part> parts) {
        public Entry {
            parts = List.copyOf(parts);
        }

        /** The part of {@code role}, or null. */
        public Part part(String role) {
            return parts.stream().filter(p -> p.role().equals(role)).findFirst().orElse(null);
        }
    }

    /**
     * A byte range of the file: a collection's records ({@link Part#RECORDS}, with their count)
     * or one of its derived files ({@link Part#GRAPH}, {@link Part#TEXT}, {@link Part#PAYLOAD}).
     */
    public record Part(String role, long offset, long length, long crc32c, long records) {
        public static final String RECORDS = "records";
        public static final String GRAPH = "graph";
        public static final String TEXT = "text";
        public static final String PAYLOAD = "payload";
    }

    byte[] encode() {
        ObjectNode root = JSON.createObjectNode().put("format", SnapshotWriter.VERSION).put("kind", kind)
                .put("created", created.toString());
        ArrayNode list = root.putArray("collections");
        for (Entry e : collections) {
            ObjectNode c = list.addObject().put("name", e.name());
            c.set("config", StoredCollection.configJson(e.config()));
            c.put("write_sequence", e.writeSequence()).put("points", e.points());
            ArrayNode parts = c.putArray("parts");
            for (Part p : e.parts()) {
                parts.addObject().put("role", p.role()).put("offset", p.offset()).put("length", p.length())
                        .put("crc32c", p.crc32c()).put("records", p.records());
            }
        }
        if (!aliases.isEmpty()) {
            ObjectNode byAlias = root.putObject("aliases");
            aliases.forEach(byAlias::put);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The manifest in {@code bytes}; InvalidSnapshotException naming what is wrong. */
    static SnapshotManifest decode(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            String kind = root.path("kind").asText("");
            if (!kind.equals(COLLECTION) && !kind.equals(FULL)) {
                throw new InvalidSnapshotException("the snapshot's manifest names an unknown kind '" + kind + "'");
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode c : root.path("collections")) {
                List<Part> parts = new ArrayList<>();
                for (JsonNode p : c.path("parts")) {
                    parts.add(new Part(p.path("role").asText(""), p.path("offset").asLong(-1), p.path("length").asLong(-1),
                            p.path("crc32c").asLong(), p.path("records").asLong()));
                }
                entries.add(new Entry(c.path("name").asText(""), StoredCollection.configOf(c.path("config")),
                        c.path("write_sequence").asLong(), c.path("points").asLong(), parts));
            }
            Map<String, String> aliases = new TreeMap<>();
            root.path("aliases").properties().forEach(a -> aliases.put(a.getKey(), a.getValue().asText()));
            return new SnapshotManifest(kind, Instant.parse(root.path("created").asText()), entries, aliases);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidSnapshotException invalid) {
                throw invalid;
            }
            throw new InvalidSnapshotException("the snapshot's manifest is damaged: " + e.getMessage(), e);
        }
    }
}
