package dev.vdb.server.load;

import com.sun.net.httpserver.HttpServer;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of the HTTP load test: {@code com.sun.net.httpserver} on virtual threads, as
 * {@link dev.vdb.server.VdbServer} runs it, with a handler that does nothing but the search.
 * It discards the request body, runs the next query of a fixed cycle through the same
 * {@link VectorCollection#search} call as the embedded phase, and answers a constant small JSON
 * body: no JSON parsing or writing, routing, admission, metrics or access log. The throughput
 * of this server is what the JDK server, loopback TCP and the client leave for search on this
 * machine; ours divided by it is the share our own server code costs. Thread-safe.
 */
final class BareSearchServer implements AutoCloseable {
    private static final byte[] ANSWER = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer http;
    private final ExecutorService executor;

    BareSearchServer(VectorCollection collection, float[][] queries, int limit, int ef) throws IOException {
        SearchParams params = new SearchParams(ef, false);
        AtomicInteger next = new AtomicInteger();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
                float[] query = queries[Math.floorMod(next.getAndIncrement(), queries.length)];
                collection.search(SearchRequest.builder().vector(query).limit(limit).params(params).build());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, ANSWER.length);
                exchange.getResponseBody().write(ANSWER);
            }
        });
        http.start();
    }

    InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
