package dev.vdb.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson configuration of the server. {@code NaN} and {@code Infinity} literals are
 * accepted by the parser only so that validation can reject them with the point's id instead
 * of a bare syntax error; duplicate keys are rejected; nesting is capped; NaN and infinities are
 * never written ({@link FiniteNumberGenerator}). Parse and write buffers
 * come from a pool shared by all threads: Jackson's default keeps them per thread, and every
 * request runs on a new virtual thread, so it would allocate them anew for each. Thread-safe.
 */
final class Json {
    /** Deepest nesting of objects and arrays a body may have (payloads included). */
    static final int MAX_NESTING_DEPTH = 64;

    private Json() {}

    static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .addDecorator((f, generator) -> new FiniteNumberGenerator(generator))
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                .build();
        return new ObjectMapper(factory);
    }

    /** A value for an error message: at most 64 characters, quoted when it is a string. */
    static String quote(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return "'" + shown + "'";
    }
}
