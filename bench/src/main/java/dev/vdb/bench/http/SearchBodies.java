package dev.vdb.bench.http;

import java.nio.charset.StandardCharsets;

/** The JSON bodies of search requests the HTTP benchmarks send, made once before they measure. */
public final class SearchBodies {
    private SearchBodies() {}

    /** {@code {"vector":[..],"limit":limit,"params":{"hnsw_ef":ef}}} for each query, UTF-8. */
    public static byte[][] of(float[][] queries, int limit, int ef) {
        byte[][] bodies = new byte[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            StringBuilder s = new StringBuilder("{\"vector\":[");
            for (int d = 0; d < queries[q].length; d++) {
                s.append(d == 0 ? "" : ",").append(queries[q][d]);
            }
            bodies[q] = s.append("],\"limit\":").append(limit).append(",\"params\":{\"hnsw_ef\":").append(ef).append("}}")
                    .toString().getBytes(StandardCharsets.UTF_8);
        }
        return bodies;
    }
}
