package dev.vdb.server.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport on the JDK's {@code com.sun.net.httpserver} ({@code HttpsServer} with TLS): each
 * exchange runs on a new virtual thread, which calls the handler and sends its answer. The JDK
 * server takes its connection cap and timeouts from system properties that it reads once per JVM,
 * when its first server starts: {@link #start} sets them from the first config unless they were
 * set on the command line, and warns when a later server asks for other values. (An application
 * that started another {@code com.sun.net.httpserver} server first has fixed them already; then
 * it sets them itself, as {@code -D} flags.) Thread-safe.
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
        applyLimits(config);
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        HttpServer http;
        if (config.tls() != null) {
            HttpsServer https = HttpsServer.create(address, 128);
            https.setHttpsConfigurator(new HttpsConfigurator(config.tls()));
            http = https;
        } else {
            http = HttpServer.create(address, 128);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vdb-http-", 0).factory());
        http.setExecutor(executor);
        http.createContext("/", exchange -> serve(exchange, handler));
        http.start();
        return new JdkTransport(http, executor);
    }

    /** The JDK server's limit properties, as the first server of this JVM set them. */
    private static Map<String, String> applied;

    private static synchronized void applyLimits(TransportConfig config) {
        long seconds = Math.max(1, config.readTimeout().toSeconds());
        Map<String, String> wanted = Map.of(
                "jdk.httpserver.maxConnections", Integer.toString(config.maxConnections()),
                // reading a request's head and body (maxRspTime is left alone: it would count the
                // handler's own work, which a large upsert or exact search may take long for)
                "sun.net.httpserver.maxReqTime", Long.toString(seconds),
                // an idle keep-alive connection, and a new one that sends nothing
                "sun.net.httpserver.idleInterval", Long.toString(seconds),
                // TCP_NODELAY: the server sends a response's headers and its body in two writes;
                // with Nagle's algorithm on, a body that is not a whole segment waits for the
                // client's ACK of the headers, which Linux delays by up to 40 ms
                "sun.net.httpserver.nodelay", "true");
        if (applied == null) {
            Map<String, String> effective = new java.util.HashMap<>();
            wanted.forEach((key, value) -> {
                if (System.getProperty(key) == null) {
                    System.setProperty(key, value);
                }
                effective.put(key, System.getProperty(key));
            });
            applied = Map.copyOf(effective);
        }
        if (!applied.equals(wanted)) {
            LOG.warn("com.sun.net.httpserver reads its limits once per JVM; in force: {}", applied);
        }
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
            if (answer.file() != null) {
                exchange.sendResponseHeaders(answer.status(), Files.size(answer.file()));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(answer.file(), out);
                }
                return;
            }
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
