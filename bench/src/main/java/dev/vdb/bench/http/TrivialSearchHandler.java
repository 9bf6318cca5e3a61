package dev.vdb.bench.http;

import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.server.transport.RequestHandler;
import dev.vdb.server.transport.TransportRequest;
import dev.vdb.server.transport.TransportResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of the HTTP load test, put behind each transport in turn: a handler that discards
 * the request body, runs the next query of a fixed cycle through the same
 * {@link VectorCollection#search} call as the embedded phase, and answers a constant small JSON body:
 * no JSON parsing or writing, routing, admission, metrics or access log. Its throughput on a
 * transport is what that HTTP server, loopback TCP and the client leave for search on this
 * machine; our full handler's divided by it is the share our own server code costs.
 * Thread-safe.
 */
final class TrivialSearchHandler implements RequestHandler {
    private static final byte[] ANSWER = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

    private final VectorCollection collection;
    private final float[][] queries;
    private final int limit;
    private final SearchParams params;
    private final AtomicInteger next = new AtomicInteger();

    TrivialSearchHandler(VectorCollection collection, float[][] queries, int limit, int ef) {
        this.collection = collection;
        this.queries = queries;
        this.limit = limit;
        this.params = new SearchParams(ef, false);
    }

    @Override
    public TransportResponse handle(TransportRequest request) {
        try (InputStream body = request.body()) {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            return new TransportResponse(400, "application/json", Map.of(), ANSWER, true);
        }
        float[] query = queries[Math.floorMod(next.getAndIncrement(), queries.length)];
        collection.search(SearchRequest.builder().vector(query).limit(limit).params(params).build());
        return new TransportResponse(200, "application/json", Map.of(), ANSWER, false);
    }
}
