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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.TextConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the bodies that create collections and payload indexes ({@code PUT /collections/{name}},
 * {@code PUT /collections/{name}/index}) with Jackson's streaming parser; unknown fields are a 400
 * naming the field. Thread-safe; allocates the parsed values only.
 */
final class CollectionRequestParser {
    /** Longest payload index field name (a dotted key) accepted. */
    static final int MAX_FIELD_NAME_LENGTH = 256;

    private final BodyReader reader;
    private final ObjectMapper mapper;

    CollectionRequestParser(ObjectMapper mapper) {
        this.reader = new BodyReader(mapper);
        this.mapper = mapper;
    }

    /** What {@code PUT /collections/{name}/index} creates. */
    record PayloadIndexRequest(String field, PayloadSchema schema, boolean isTenant) {}

    /** What {@code PUT /collections/{name}} creates: a config, and shards and replicas (1 and 1 unless given). */
    record CollectionCreation(CollectionConfig config, int shardNumber, int replicationFactor) {}

    /**
     * {@code PUT /collections/{name}}: {@code {"vectors":{"size":N,"distance":D},"hnsw_config":{..},"text":{..},
     * "quantization_config":{..},"shard_number":S,"replication_factor":R}}. {@code vectors} may
     * instead name the one vector ({@code {"vectors":{"dense":{"size":N,"distance":D}}}}), and
     * may carry its own {@code hnsw_config} (its fields override the collection's) and
     * {@code quantization_config} (replaces the collection's), as in Qdrant; the settings vdb
     * reports but does not let a request choose ({@link ReportedSettings}) may be repeated.
     */
    CollectionCreation collectionConfig(InputStream body) throws IOException {
        try (JsonParser p = reader.openObject(body)) {
            VectorParams vector = null;
            String vectorName = "";
            HnswFields hnsw = HnswFields.NONE;
            TextConfig text = TextConfig.DEFAULT;
            int shards = 1;
            int replicas = 1;
            QuantizationConfig quantization = null;
            Integer writeConsistency = null;
            for (String f; (f = nextField(p)) != null; ) {
                switch (f) {
                    case "quantization_config" -> quantization = QuantizationJson.config(p.readValueAsTree(), false);
                    case "shard_number" -> shards = intIn(p, "shard_number", 1, 1024);
                    case "replication_factor" -> replicas = intIn(p, "replication_factor", 1, 1024);
                    case "write_consistency_factor" -> writeConsistency = p.currentToken() == JsonToken.VALUE_NULL ? null
                            : intIn(p, "write_consistency_factor", 1, 1024);
                    case "on_disk_payload" -> ReportedSettings.expect(p, "on_disk_payload", true,
                            "vdb keeps payloads in RocksDB, on disk behind its block cache");
                    case "vectors" -> {
                        requireObject(p, "vectors");
                        ObjectNode vectors = p.readValueAsTree();
                        if (vectors.has("size") || vectors.has("distance") || vectors.isEmpty()) {
                            vector = vectorParams(vectors, "vectors");
                        } else {
                            List<String> names = new ArrayList<>();
                            vectors.fieldNames().forEachRemaining(names::add);
                            if (names.size() > 1) {
                                throw new IllegalArgumentException("vectors names " + names.size() + " vectors " + names
                                        + ": vdb keeps one vector per point; name one, or give its size and distance "
                                        + "unnamed");
                            }
                            vectorName = names.get(0);
                            vector = vectorParams(vectors.get(vectorName), "vectors." + vectorName);
                        }
                    }
                    case "sparse_vectors" -> {
                        JsonNode sparse = p.readValueAsTree();
                        if (!sparse.isNull() && !(sparse.isObject() && sparse.isEmpty())) {
                            throw new IllegalArgumentException("sparse_vectors is not supported: vdb scores each point's "
                                    + "text with BM25 (a point's \"text\", searched with using \"text\")");
                        }
                    }
                    case "hnsw_config" -> hnsw = hnswFields(p, "hnsw_config");
                    case "text" -> text = textConfig(p);
                    default -> throw unknownField("", f);
                }
            }
            requireEnd(p);
            if (vector == null) {
                throw new IllegalArgumentException("vectors is missing (its size and distance)");
            }
            if (vector.quantization() != null) {
                quantization = vector.quantization();
            }
            String at = vectorName.isEmpty() ? "vectors" : "vectors." + vectorName;
            checkOnDisk(vector.onDisk(), quantization != null, at);
            if (writeConsistency != null && writeConsistency != ReportedSettings.writeConsistencyFactor(replicas)) {
                throw new IllegalArgumentException("write_consistency_factor must be "
                        + ReportedSettings.writeConsistencyFactor(replicas) + " or null: a write is acknowledged by a "
                        + "majority of a shard's " + replicas + " replica(s); got " + writeConsistency);
            }
            HnswConfig graph = vector.hnsw().within(hnsw).over(HnswConfig.DEFAULT);
            return new CollectionCreation(new CollectionConfig(vector.size(), vector.distance(), graph, text, quantization,
                    vectorName), shards, replicas);
        }
    }

    /** One vector's params (Qdrant's {@code VectorParams}). */
    private record VectorParams(int size, Distance distance, HnswFields hnsw, QuantizationConfig quantization,
                                Boolean onDisk) {}

    /** The {@code VectorParams} object {@code params} at {@code at} ({@code vectors} or {@code vectors.<name>}). */
    private VectorParams vectorParams(JsonNode params, String at) throws IOException {
        if (!params.isObject()) {
            throw new IllegalArgumentException(at + " must be an object with size and distance, got "
                    + TreeReader.show(params));
        }
        try (JsonParser p = params.traverse(mapper)) {
            p.nextToken();
            Integer size = null;
            Distance distance = null;
            HnswFields hnsw = HnswFields.NONE;
            QuantizationConfig quantization = null;
            Boolean onDisk = null;
            for (String v; (v = nextField(p)) != null; ) {
                switch (v) {
                    case "size" -> size = intIn(p, at + ".size", 1, CollectionConfig.MAX_DIMENSION);
                    case "distance" -> distance = Distance.parse(string(p, at + ".distance"));
                    case "hnsw_config" -> hnsw = hnswFields(p, at + ".hnsw_config");
                    case "quantization_config" -> quantization = QuantizationJson.config(p.readValueAsTree(), false);
                    case "on_disk" -> onDisk = p.currentToken() == JsonToken.VALUE_NULL ? null : bool(p, at + ".on_disk");
                    case "datatype" -> ReportedSettings.expect(p, at + ".datatype", ReportedSettings.DATATYPE,
                            "vdb keeps vectors as float32 (whole-number vectors, uint8 pixels or int8 "
                                    + "embeddings, are walked as exact one-byte codes without asking)");
                    default -> throw unknownField(at, v);
                }
            }
            if (size == null) {
                throw new IllegalArgumentException(at + ".size is missing");
            }
            if (distance == null) {
                throw new IllegalArgumentException(at + ".distance is missing (one of Cosine, Euclid, Dot)");
            }
            return new VectorParams(size, distance, hnsw, quantization, onDisk);
        }
    }

    /**
     * {@code on_disk} of the vector at {@code at} must say what vdb does: a quantized collection
     * walks its codes and keeps full precision in a memory-mapped file (on disk); an unquantized
     * one walks its vectors on the heap.
     */
    private static void checkOnDisk(Boolean onDisk, boolean quantized, String at) {
        if (onDisk != null && onDisk != quantized) {
            throw new IllegalArgumentException(quantized
                    ? at + ".on_disk must be true or null with quantization_config: vdb keeps a quantized collection's "
                            + "full-precision vectors in a memory-mapped file; got false"
                    : at + ".on_disk: true needs quantization_config: an unquantized collection's graph walks its "
                            + "vectors on the heap, a quantized one walks the codes and keeps full precision in a "
                            + "memory-mapped file; got true without quantization_config");
        }
    }

    /**
     * Qdrant's {@code HnswConfigDiff} as vdb takes it: the fields given, null where absent.
     * {@code payloadM}, the M of per-tenant graphs, may only repeat the collection's M: an
     * {@code is_tenant} index's graphs are built with it.
     */
    record HnswFields(Integer m, Integer efConstruct, Integer payloadM) {
        static final HnswFields NONE = new HnswFields(null, null, null);

        /** {@code base} with the given fields replaced. */
        HnswConfig over(HnswConfig base) {
            if (m != null && m == 0) {
                throw new IllegalArgumentException("hnsw_config.m must be in 2..512, got 0: vdb always builds the "
                        + "collection's graph (Qdrant's m 0 with payload_m builds per-tenant graphs only; here an "
                        + "is_tenant keyword index gets per-tenant graphs beside the collection's)");
            }
            HnswConfig config = new HnswConfig(m != null ? m : base.m(),
                    efConstruct != null ? efConstruct : base.efConstruct());
            if (payloadM != null && payloadM != config.m()) {
                throw new IllegalArgumentException("hnsw_config.payload_m must be " + config.m() + " (the collection's m) "
                        + "or null: the per-tenant graphs of an is_tenant index are built with the collection's m; got "
                        + payloadM);
            }
            return config;
        }

        /** These fields, where absent those of {@code outer} (a vector's own config over the collection's). */
        HnswFields within(HnswFields outer) {
            return new HnswFields(m != null ? m : outer.m, efConstruct != null ? efConstruct : outer.efConstruct,
                    payloadM != null ? payloadM : outer.payloadM);
        }
    }

    /**
     * An {@code hnsw_config} object at {@code field}: {@code m}, {@code ef_construct},
     * {@code payload_m}, and the settings vdb reports ({@code full_scan_threshold},
     * {@code max_indexing_threads}, {@code on_disk}) at their reported values.
     */
    static HnswFields hnswFields(JsonParser p, String field) throws IOException {
        requireObject(p, field);
        Integer m = null;
        Integer efConstruct = null;
        Integer payloadM = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "m" -> m = intIn(p, field + ".m", Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "ef_construct" -> efConstruct = intIn(p, field + ".ef_construct", Integer.MIN_VALUE,
                        Integer.MAX_VALUE);
                case "payload_m" -> payloadM = p.currentToken() == JsonToken.VALUE_NULL ? null
                        : intIn(p, field + ".payload_m", Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "full_scan_threshold" -> ReportedSettings.expect(p, field + ".full_scan_threshold",
                        ReportedSettings.FULL_SCAN_THRESHOLD,
                        "vdb's filter planner weighs an exact scan against the graph for each filtered search");
                case "max_indexing_threads" -> ReportedSettings.expect(p, field + ".max_indexing_threads",
                        ReportedSettings.MAX_INDEXING_THREADS, "the graph is built by the threads that write");
                case "on_disk" -> ReportedSettings.expect(p, field + ".on_disk", false,
                        "vdb keeps the graph in memory (and saves it to disk at checkpoints)");
                default -> throw unknownField(field, f);
            }
        }
        return new HnswFields(m, efConstruct, payloadM);
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
                throw new IllegalArgumentException("field_schema is missing (one of " + PayloadSchema.names() + ")");
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
            throw new IllegalArgumentException("field_schema.type is missing (one of " + PayloadSchema.names() + ")");
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
