package dev.vdb.server;

import static dev.vdb.server.BodyReader.describe;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Qdrant collection settings that vdb does not let a request choose but reports in a
 * collection's info ({@link JsonWriters#collectionInfo}), each at Qdrant's default where vdb
 * behaves as that default does. A create or update may repeat one, as a config copied from that
 * info or written out with Qdrant's defaults does, with the reported value or null; any other
 * value is a 400 naming the field and the value and saying what vdb does instead. Stateless.
 */
final class ReportedSettings {

    /**
     * {@code hnsw_config.full_scan_threshold}: Qdrant's default (KB of vectors); vdb's filter
     * planner weighs scan against graph per query instead.
     */
    static final int FULL_SCAN_THRESHOLD = 10_000;
    /** {@code hnsw_config.max_indexing_threads}: 0, Qdrant's "choose automatically". */
    static final int MAX_INDEXING_THREADS = 0;
    /** {@code vectors.datatype}: vectors are kept as float32. */
    static final String DATATYPE = "float32";

    private ReportedSettings() {}

    /**
     * {@code write_consistency_factor} of a collection with {@code replicationFactor} replicas per
     * shard: a write is acknowledged once a majority of them has it (Raft).
     */
    static int writeConsistencyFactor(int replicationFactor) {
        return replicationFactor / 2 + 1;
    }

    static void expect(JsonParser p, String field, boolean reported, String why) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NULL && t != (reported ? JsonToken.VALUE_TRUE : JsonToken.VALUE_FALSE)) {
            throw refused(p, field, String.valueOf(reported), why);
        }
    }

    static void expect(JsonParser p, String field, int reported, String why) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NULL && !(t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() == reported)) {
            throw refused(p, field, String.valueOf(reported), why);
        }
    }

    static void expect(JsonParser p, String field, String reported, String why) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NULL && !(t == JsonToken.VALUE_STRING && p.getText().equals(reported))) {
            throw refused(p, field, Json.quote(reported), why);
        }
    }

    private static IllegalArgumentException refused(JsonParser p, String field, String reported, String why)
            throws IOException {
        return new IllegalArgumentException(field + " must be " + reported + " or null: " + why + "; got " + describe(p));
    }
}
