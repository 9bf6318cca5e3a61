package dev.vdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.CollectionMemory;
import dev.vdb.engine.FacetHit;
import dev.vdb.engine.HitExplanation;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointGroup;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.filter.Filter;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes engine values in the contract's JSON shapes with a streaming generator; vectors are
 * written element by element from their {@code float[]}. Stateless and thread-safe.
 */
final class JsonWriters {
    private JsonWriters() {}

    static void id(JsonGenerator g, PointId id) throws IOException {
        switch (id) {
            case PointId.Num n -> g.writeNumber(n.id());
            case PointId.Str s -> g.writeString(s.id());
        }
    }

    static void vector(JsonGenerator g, float[] v) throws IOException {
        g.writeStartArray(v, v.length);
        for (float x : v) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    /**
     * {@code {"id":..,"vector":[..],"payload":{..},"text":".."}}; text goes with the payload; the
     * vector as {@code {"<name>":[..]}} when the collection's vector is named {@code vectorName}.
     */
    static void point(JsonGenerator g, Point p, boolean withVector, PayloadSelector payload, String vectorName)
            throws IOException {
        point(g, p, withVector, payload, vectorName, null);
    }

    /** As {@link #point}, with Qdrant's {@code "order_value"} (a scroll by a field) unless it is null. */
    static void point(JsonGenerator g, Point p, boolean withVector, PayloadSelector payload, String vectorName,
                      Object orderValue) throws IOException {
        boolean withPayload = payload.any();
        g.writeStartObject();
        g.writeFieldName("id");
        id(g, p.id());
        if (withVector) {
            namedVector(g, p.vector(), vectorName);
        }
        if (withPayload) {
            g.writeFieldName("payload");
            g.writeObject(payload.apply(p.payload()));
            if (p.text() != null) {
                g.writeStringField("text", p.text());
            }
        }
        switch (orderValue) {
            case null -> { }
            case Long whole -> g.writeNumberField("order_value", whole);
            default -> g.writeNumberField("order_value", (Double) orderValue);
        }
        g.writeEndObject();
    }

    /** Qdrant's facet answer: {@code {"hits":[{"value":"London" or 7 or true,"count":12}]}}. */
    static void facet(JsonGenerator g, java.util.List<FacetHit> hits) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("hits");
        for (FacetHit hit : hits) {
            g.writeStartObject();
            g.writeFieldName("value");
            switch (hit.value()) {
                case Long number -> g.writeNumber(number);
                case Boolean flag -> g.writeBoolean(flag);
                default -> g.writeString((String) hit.value());
            }
            g.writeNumberField("count", hit.count());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Qdrant's UpdateResult: {@code {"operation_id":0,"status":"completed","updated":N}}, without {@code updated} when null. */
    static void updateResult(JsonGenerator g, Integer updated) throws IOException {
        g.writeStartObject();
        g.writeNumberField("operation_id", 0);
        g.writeStringField("status", "completed");
        if (updated != null) {
            g.writeNumberField("updated", updated);
        }
        g.writeEndObject();
    }

    /** The field {@code "vector"}: the array, or {@code {"<name>":[..]}} for a named vector. */
    private static void namedVector(JsonGenerator g, float[] v, String vectorName) throws IOException {
        g.writeFieldName("vector");
        if (vectorName.isEmpty()) {
            vector(g, v);
        } else {
            g.writeStartObject();
            g.writeFieldName(vectorName);
            vector(g, v);
            g.writeEndObject();
        }
    }

    /** An array of hits, each with the selected payload keys. */
    static void hits(JsonGenerator g, java.util.List<ScoredPoint> hits, PayloadSelector payload, String vectorName)
            throws IOException {
        g.writeStartArray();
        for (ScoredPoint hit : hits) {
            scored(g, hit, payload, vectorName);
        }
        g.writeEndArray();
    }

    /** Qdrant's grouped answer: {@code {"groups":[{"id":"a" or 7,"hits":[hits]}]}}, groups best first. */
    static void groups(JsonGenerator g, java.util.List<PointGroup> groups, PayloadSelector payload, String vectorName)
            throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("groups");
        for (PointGroup group : groups) {
            g.writeStartObject();
            if (group.id() instanceof Long number) {
                g.writeNumberField("id", number);
            } else {
                g.writeStringField("id", (String) group.id());
            }
            g.writeFieldName("hits");
            hits(g, group.hits(), payload, vectorName);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * {@code {"id":..,"version":0,"score":..,"payload":{..},"vector":[..],"explanation":{..}}}, the
     * latter three when present; {@code version} is Qdrant's field, always 0 here (no per-point
     * versions are kept).
     */
    static void scored(JsonGenerator g, ScoredPoint hit, PayloadSelector payload, String vectorName) throws IOException {
        g.writeStartObject();
        g.writeFieldName("id");
        id(g, hit.id());
        g.writeNumberField("version", 0);
        g.writeNumberField("score", hit.score());
        if (hit.payload() != null) {
            g.writeFieldName("payload");
            java.util.Map<String, Object> selected = payload.apply(hit.payload());
            if (selected.isEmpty()) {
                g.writeStartObject(); // no serializer lookup for the common empty payload
                g.writeEndObject();
            } else {
                g.writeObject(selected);
            }
        }
        if (hit.vector() != null) {
            namedVector(g, hit.vector(), vectorName);
        }
        if (hit.explanation() != null) {
            g.writeFieldName("explanation");
            explanation(g, hit.explanation());
        }
        g.writeEndObject();
    }

    /**
     * {@code {"vector_rank":..,"vector_score":..,"text_rank":..,"text_score":..,"terms":[..],"fused_score":..}};
     * the vector part only when the hit was in the vector list, the text part only when it was in the BM25 list.
     */
    static void explanation(JsonGenerator g, HitExplanation e) throws IOException {
        g.writeStartObject();
        if (e.vectorRank() > 0) {
            g.writeNumberField("vector_rank", e.vectorRank());
            g.writeNumberField("vector_score", e.vectorScore());
        }
        if (e.textRank() > 0) {
            g.writeNumberField("text_rank", e.textRank());
            g.writeNumberField("text_score", e.textScore());
            g.writeArrayFieldStart("terms");
            for (HitExplanation.TermScore t : e.terms()) {
                g.writeStartObject();
                g.writeStringField("term", t.term());
                g.writeNumberField("freq", t.freq());
                g.writeNumberField("doc_freq", t.docFreq());
                g.writeNumberField("idf", t.idf());
                g.writeNumberField("score", t.score());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeNumberField("fused_score", e.fusedScore());
        g.writeEndObject();
    }

    /**
     * Qdrant's collection info ({@code status}, {@code optimizer_status}, counts, {@code segments_count},
     * {@code config.params.vectors}, {@code config.hnsw_config}, {@code payload_schema} with
     * {@code points}, and {@code params} {@code {"type":"keyword","is_tenant":true}} on the tenant
     * field, {@code config.quantization_config}) plus the contract's {@code name},
     * {@code config.vectors}, {@code config.text} and {@code memory} (heap, off-heap mapped and disk
     * bytes; zeros when not loaded); payload indexes sorted by field.
     *
     * @param indexedPoints per indexed field, the points that have a value for it
     * @param tenantField the field of the {@code is_tenant} index, or null
     * @param loaded whether the collection was in memory when the request came (vdb's own field)
     * @param tenantGraphsBuilding whether the tenants' graphs were still being built in the background
     *     (vdb's own field; their tenants' searches go to the filter planner meanwhile)
     */
    static void collectionInfo(JsonGenerator g, String name, CollectionConfig config, ClusterEndpoints.Sharding sharding,
                               long points, long indexed, Map<String, PayloadSchema> payloadIndexes,
                               Map<String, Long> indexedPoints, String tenantField, boolean loaded,
                               boolean tenantGraphsBuilding, CollectionMemory memory)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeBooleanField("loaded", loaded);
        g.writeBooleanField("tenant_graphs_building", tenantGraphsBuilding);
        // green: the index has caught up with the stored points; yellow: it is still indexing.
        g.writeStringField("status", indexed >= points ? "green" : "yellow");
        g.writeStringField("optimizer_status", "ok");
        g.writeNumberField("points_count", points);
        g.writeNumberField("indexed_vectors_count", indexed);
        g.writeNumberField("segments_count", 1);
        g.writeObjectFieldStart("config");
        g.writeObjectFieldStart("params");
        g.writeFieldName("vectors");
        if (config.vectorName().isEmpty()) {
            vectorParams(g, config);
        } else { // Qdrant's named form: {"dense":{"size":..}}
            g.writeStartObject();
            g.writeFieldName(config.vectorName());
            vectorParams(g, config);
            g.writeEndObject();
        }
        g.writeNumberField("shard_number", sharding.shardNumber());
        g.writeNumberField("replication_factor", sharding.replicationFactor());
        g.writeNumberField("write_consistency_factor", ReportedSettings.writeConsistencyFactor(sharding.replicationFactor()));
        g.writeBooleanField("on_disk_payload", true);
        g.writeEndObject();
        g.writeFieldName("vectors");
        vectorParams(g, config);
        g.writeObjectFieldStart("hnsw_config");
        g.writeNumberField("m", config.hnsw().m());
        g.writeNumberField("ef_construct", config.hnsw().efConstruct());
        g.writeNumberField("payload_m", config.hnsw().m()); // an is_tenant index's graphs are built with m
        g.writeNumberField("full_scan_threshold", ReportedSettings.FULL_SCAN_THRESHOLD);
        g.writeNumberField("max_indexing_threads", ReportedSettings.MAX_INDEXING_THREADS);
        g.writeBooleanField("on_disk", false);
        g.writeEndObject();
        g.writeObjectFieldStart("optimizer_config");
        g.writeNumberField("deleted_threshold", 0.2);
        g.writeNumberField("vacuum_min_vector_number", 1000);
        g.writeNumberField("default_segment_number", 1);
        g.writeNumberField("flush_interval_sec", 5);
        g.writeEndObject();
        g.writeObjectFieldStart("wal_config");
        g.writeNumberField("wal_capacity_mb", 32);
        g.writeNumberField("wal_segments_ahead", 0);
        g.writeEndObject();
        QuantizationJson.write(g, config.quantization());
        g.writeObjectFieldStart("text");
        g.writeStringField("analyzer", config.text().analyzer());
        g.writeNumberField("k1", config.text().k1());
        g.writeNumberField("b", config.text().b());
        g.writeEndObject();
        g.writeEndObject();
        g.writeObjectFieldStart("memory");
        g.writeNumberField("heap_bytes", memory.heapBytes());
        g.writeNumberField("off_heap_mapped_bytes", memory.offHeapMappedBytes());
        g.writeNumberField("disk_bytes", memory.diskBytes());
        g.writeEndObject();
        g.writeObjectFieldStart("payload_schema");
        for (Map.Entry<String, PayloadSchema> index : new TreeMap<>(payloadIndexes).entrySet()) {
            g.writeObjectFieldStart(index.getKey());
            g.writeStringField("data_type", index.getValue().apiName());
            if (index.getKey().equals(tenantField)) {
                g.writeObjectFieldStart("params");
                g.writeStringField("type", index.getValue().apiName());
                g.writeBooleanField("is_tenant", true);
                g.writeEndObject();
            }
            g.writeNumberField("points", indexedPoints.getOrDefault(index.getKey(), 0L));
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void vectorParams(JsonGenerator g, CollectionConfig config) throws IOException {
        g.writeStartObject();
        g.writeNumberField("size", config.dimension());
        g.writeStringField("distance", config.distance().apiName());
        g.writeBooleanField("on_disk", config.quantization() != null); // full precision memory-mapped when quantized
        g.writeEndObject();
    }

    static ResultWriter collectionInfo(VectorCollection c) {
        boolean loaded = c.isLoaded(); // before the counts, which load it
        String name = c.name();
        CollectionConfig config = c.config();
        long points = c.count();
        long indexed = c.indexedVectorsCount();
        Map<String, PayloadSchema> payloadIndexes = c.payloadIndexes();
        Map<String, Long> indexedPoints = new java.util.HashMap<>();
        for (String field : payloadIndexes.keySet()) {
            indexedPoints.put(field, c.count(Filter.mustNot(Filter.isEmpty(field))));
        }
        ClusterEndpoints.Sharding sharding = ClusterEndpoints.Sharding.of(c);
        String tenantField = c.tenantField().orElse(null);
        CollectionMemory memory = c.memory();
        boolean tenantGraphsBuilding = c.diagnostics().tenantGraphsBuilding();
        return g -> collectionInfo(g, name, config, sharding, points, indexed, payloadIndexes, indexedPoints,
                tenantField, loaded, tenantGraphsBuilding, memory);
    }
}
