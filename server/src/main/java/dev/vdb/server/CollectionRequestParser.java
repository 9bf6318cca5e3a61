package dev.vdb.server;

import static dev.vdb.server.BodyReader.bool;
import static dev.vdb.server.BodyReader.finiteFloat;
import static dev.vdb.server.BodyReader.intIn;
import static dev.vdb.server.BodyReader.nextField;
import static dev.vdb.server.BodyReader.requireEnd;
import static dev.vdb.server.BodyReader.requireObject;
import static dev.vdb.server.BodyReader.string;
import static dev.vdb.server.BodyReader.unknownField;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.TextConfig;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses the bodies that create collections and payload indexes ({@code PUT /collections/{name}},
 * {@code PUT /collections/{name}/index}) with Jackson's streaming parser; unknown fields are a 400
 * naming the field. Thread-safe; allocates the parsed values only.
 */
final class CollectionRequestParser {
    /** Longest payload index field name (a dotted key) accepted. */
    static final int MAX_FIELD_NAME_LENGTH = 256;

    private final BodyReader reader;

    CollectionRequestParser(ObjectMapper mapper) {
        this.reader = new BodyReader(mapper);
    }

    /** What {@code PUT /collections/{name}/index} creates. */
    record PayloadIndexRequest(String field, PayloadSchema schema, boolean isTenant) {}

    /** What {@code PUT /collections/{name}} creates: a config, and shards and replicas (1 and 1 unless given). */
    record CollectionCreation(CollectionConfig config, int shardNumber, int replicationFactor) {}

    /**
     * {@code PUT /collections/{name}}: {@code {"vectors":{"size":N,"distance":D},"hnsw_config":{..},"text":{..},
     * "quantization_config":{..},"shard_number":S,"replication_factor":R}}.
     */
    CollectionCreation collectionConfig(InputStream body) throws IOException {
        try (JsonParser p = reader.openObject(body)) {
            Integer size = null;
            Distance distance = null;
            HnswConfig hnsw = HnswConfig.DEFAULT;
            TextConfig text = TextConfig.DEFAULT;
            int shards = 1;
            int replicas = 1;
            QuantizationConfig quantization = null;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "quantization_config" -> quantization = QuantizationJson.config(p.readValueAsTree(), false);
                    case "shard_number" -> shards = intIn(p, "shard_number", 1, 1024);
                    case "replication_factor" -> replicas = intIn(p, "replication_factor", 1, 1024);
                    case "vectors" -> {
                        requireObject(p, "vectors");
                        for (String v; (v = nextField(p)) != null; ) {
                            switch (v) {
                                case "size" -> size = intIn(p, "vectors.size", 1, CollectionConfig.MAX_DIMENSION);
                                case "distance" -> distance = Distance.parse(string(p, "vectors.distance"));
                                default -> throw unknownField("vectors", v);
                            }
                        }
                    }
                    case "hnsw_config" -> hnsw = hnswConfig(p);
                    case "text" -> text = textConfig(p);
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (size == null) {
                throw new IllegalArgumentException("vectors.size is missing");
            }
            if (distance == null) {
                throw new IllegalArgumentException("vectors.distance is missing (one of Cosine, Euclid, Dot)");
            }
            return new CollectionCreation(new CollectionConfig(size, distance, hnsw, text, quantization), shards, replicas);
        }
    }

    private static HnswConfig hnswConfig(JsonParser p) throws IOException {
        requireObject(p, "hnsw_config");
        int m = HnswConfig.DEFAULT_M;
        int efConstruct = HnswConfig.DEFAULT_EF_CONSTRUCT;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "m" -> m = intIn(p, "hnsw_config.m", Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "ef_construct" -> efConstruct = intIn(p, "hnsw_config.ef_construct", Integer.MIN_VALUE,
                        Integer.MAX_VALUE);
                default -> throw unknownField("hnsw_config", f);
            }
        }
        return new HnswConfig(m, efConstruct);
    }

    private static TextConfig textConfig(JsonParser p) throws IOException {
        requireObject(p, "text");
        TextConfig d = TextConfig.DEFAULT;
        String analyzer = d.analyzer();
        float k1 = d.k1();
        float b = d.b();
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "analyzer" -> analyzer = string(p, "text.analyzer");
                case "k1" -> k1 = finiteFloat(p, "text.k1");
                case "b" -> b = finiteFloat(p, "text.b");
                default -> throw unknownField("text", f);
            }
        }
        return new TextConfig(analyzer, k1, b);
    }

    /**
     * {@code PUT /collections/{name}/index}: {@code {"field_name":"city","field_schema":"keyword"}},
     * or with Qdrant's parameters object, {@code "field_schema":{"type":"keyword","is_tenant":true}}.
     */
    PayloadIndexRequest payloadIndex(InputStream body) throws IOException {
        try (JsonParser p = reader.openObject(body)) {
            String field = null;
            PayloadIndexRequest schema = null;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "field_name" -> field = fieldName(string(p, "field_name"));
                    case "field_schema" -> schema = p.currentToken() == JsonToken.START_OBJECT ? schemaParams(p)
                            : new PayloadIndexRequest(null, PayloadSchema.parse(string(p, "field_schema")), false);
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (field == null) {
                throw new IllegalArgumentException("field_name is missing (the payload key to index, dotted for nested keys)");
            }
            if (schema == null) {
                throw new IllegalArgumentException("field_schema is missing (one of keyword, integer, float, bool)");
            }
            return new PayloadIndexRequest(field, schema.schema(), schema.isTenant());
        }
    }

    /**
     * Qdrant's {@code KeywordIndexParams} and its kin: {@code type} (required), {@code is_tenant}
     * (keyword only), {@code on_disk} (false or null: vdb keeps payload indexes in memory).
     */
    private static PayloadIndexRequest schemaParams(JsonParser p) throws IOException {
        PayloadSchema type = null;
        Boolean tenant = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "type" -> type = PayloadSchema.parse(string(p, "field_schema.type"));
                case "is_tenant" -> tenant = p.currentToken() == JsonToken.VALUE_NULL ? null : bool(p, "field_schema.is_tenant");
                case "on_disk" -> {
                    if (p.currentToken() != JsonToken.VALUE_NULL && bool(p, "field_schema.on_disk")) {
                        throw new IllegalArgumentException(
                                "field_schema.on_disk must be false or null: vdb keeps payload indexes in memory, got true");
                    }
                }
                default -> throw unknownField("field_schema", f);
            }
        }
        if (type == null) {
            throw new IllegalArgumentException("field_schema.type is missing (one of keyword, integer, float, bool)");
        }
        if (tenant != null && tenant && type != PayloadSchema.KEYWORD) {
            throw new IllegalArgumentException("field_schema.is_tenant applies to keyword indexes only, got type "
                    + type.apiName());
        }
        return new PayloadIndexRequest(null, type, tenant != null && tenant);
    }

    /** A dotted payload key: non-empty segments, bounded length. */
    private static String fieldName(String name) {
        if (name.isEmpty() || name.length() > MAX_FIELD_NAME_LENGTH) {
            throw new IllegalArgumentException("field_name must have 1.." + MAX_FIELD_NAME_LENGTH
                    + " characters, got " + name.length() + ": " + Json.quote(name));
        }
        for (String segment : name.split("\\.", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("field_name must be keys joined by single dots, got " + Json.quote(name));
            }
        }
        return name;
    }
}
