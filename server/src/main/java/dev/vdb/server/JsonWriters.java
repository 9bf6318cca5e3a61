package dev.vdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.HitExplanation;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
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

    /** {@code {"id":..,"vector":[..],"payload":{..},"text":".."}}; text goes with the payload. */
    static void point(JsonGenerator g, Point p, boolean withVector, boolean withPayload) throws IOException {
        g.writeStartObject();
        g.writeFieldName("id");
        id(g, p.id());
        if (withVector) {
            g.writeFieldName("vector");
            vector(g, p.vector());
        }
        if (withPayload) {
            g.writeFieldName("payload");
            g.writeObject(p.payload());
            if (p.text() != null) {
                g.writeStringField("text", p.text());
            }
        }
        g.writeEndObject();
    }

    /** {@code {"id":..,"score":..,"payload":{..},"vector":[..],"explanation":{..}}}, the latter three when present. */
    static void scored(JsonGenerator g, ScoredPoint hit) throws IOException {
        g.writeStartObject();
        g.writeFieldName("id");
        id(g, hit.id());
        g.writeNumberField("score", hit.score());
        if (hit.payload() != null) {
            g.writeFieldName("payload");
            g.writeObject(hit.payload());
        }
        if (hit.vector() != null) {
            g.writeFieldName("vector");
            vector(g, hit.vector());
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

    /** The config in the shape {@code PUT /collections/{name}} takes it. */
    static void config(JsonGenerator g, CollectionConfig c) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("vectors");
        g.writeNumberField("size", c.dimension());
        g.writeStringField("distance", c.distance().apiName());
        g.writeEndObject();
        g.writeObjectFieldStart("hnsw_config");
        g.writeNumberField("m", c.hnsw().m());
        g.writeNumberField("ef_construct", c.hnsw().efConstruct());
        g.writeEndObject();
        g.writeObjectFieldStart("text");
        g.writeStringField("analyzer", c.text().analyzer());
        g.writeNumberField("k1", c.text().k1());
        g.writeNumberField("b", c.text().b());
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * {@code {"name":..,"config":{..},"points_count":N,"indexed_vectors_count":N,"status":"green",
     * "payload_schema":{"city":{"data_type":"keyword"}}}}, the payload indexes sorted by field.
     */
    static void collectionInfo(JsonGenerator g, String name, CollectionConfig config, long points, long indexed,
                               Map<String, PayloadSchema> payloadIndexes) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeFieldName("config");
        config(g, config);
        g.writeNumberField("points_count", points);
        g.writeNumberField("indexed_vectors_count", indexed);
        // green: the index has caught up with the stored points; yellow: it is still indexing.
        g.writeStringField("status", indexed >= points ? "green" : "yellow");
        g.writeObjectFieldStart("payload_schema");
        for (Map.Entry<String, PayloadSchema> index : new TreeMap<>(payloadIndexes).entrySet()) {
            g.writeObjectFieldStart(index.getKey());
            g.writeStringField("data_type", index.getValue().apiName());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    static ResultWriter collectionInfo(VectorCollection c) {
        String name = c.name();
        CollectionConfig config = c.config();
        long points = c.count();
        long indexed = c.indexedVectorsCount();
        Map<String, PayloadSchema> payloadIndexes = c.payloadIndexes();
        return g -> collectionInfo(g, name, config, points, indexed, payloadIndexes);
    }
}
