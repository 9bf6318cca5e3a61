package dev.vdb.server.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport on the JDK's {@code com.sun.net.httpserver}: each exchange runs on a new virtual
 * thread, which calls the handler and sends its answer. Thread-safe.
 */
public final class JdkTransport implements HttpTransport {
    private static final Logger LOG = LoggerFactory.getLogger(JdkTransport.class);

    private final HttpServer http;
    private final ExecutorService executor;

    private JdkTransport(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** A {@link HttpTransport.Factory} for this transport. */
    public static HttpTransport start(TransportConfig config, RequestHandler handler) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 128);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vdb-http-", 0).factory());
        http.setExecutor(executor);
        http.createContext("/", exchange -> serve(exchange, handler));
        http.start();
        return new JdkTransport(http, executor);
    }

    private static void serve(HttpExchange exchange, RequestHandler handler) {
        TransportResponse answer = handler.handle(new Request(exchange));
        try (exchange) {
            var headers = exchange.getResponseHeaders();
            for (Map.Entry<String, String> h : answer.headers().entrySet()) {
                headers.set(h.getKey(), h.getValue());
            }
            if (answer.closeConnection()) {
                headers.set("Connection", "close");
            }
            headers.set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (IOException e) {
            LOG.debug("could not send the answer (client gone?): {}", e.toString());
        }
    }

    @Override
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void stop(Duration grace) {
        // Returns once every exchange has finished, or after about the delay.
        http.stop((int) Math.max(1, grace.toSeconds()));
        executor.shutdownNow();
    }

    /** The exchange's request side. */
    private record Request(HttpExchange exchange) implements TransportRequest {
        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String rawPath() {
            return exchange.getRequestURI().getRawPath();
        }

        @Override
        public String rawQuery() {
            return exchange.getRequestURI().getRawQuery();
        }

        @Override
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public InputStream body() {
            return exchange.getRequestBody();
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(exchange.getRemoteAddress());
        }
    }
}
