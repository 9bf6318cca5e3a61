package dev.vdb.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vdb.engine.VectorDb;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server over an open {@link VectorDb}: {@code com.sun.net.httpserver} dispatching each
 * exchange to a virtual thread, with at most {@link ServerOptions#threads} requests at work at
 * once (see {@link RequestGate}). It does not own the database: whoever opened it closes it,
 * after {@link #stop} reported that no request is still using it. Thread-safe.
 *
 * <pre>{@code
 * try (VectorDb db = VectorDb.open(dir); VdbServer server = VdbServer.start(db, options)) { ... }
 * }</pre>
 */
public final class VdbServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VdbServer.class);
    /** How long {@link #close} lets in-flight requests finish. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final HttpServer http;
    private final ExecutorService executor;
    private final RequestGate gate;
    private boolean stopped;

    private VdbServer(HttpServer http, ExecutorService executor, RequestGate gate) {
        this.http = http;
        this.executor = executor;
        this.gate = gate;
    }

    /** Binds and starts serving; the address is then {@link #address()}. */
    public static VdbServer start(VectorDb db, ServerOptions options) throws IOException {
        ObjectMapper mapper = Json.newMapper();
        ServerMetrics metrics = new ServerMetrics(db);
        RequestGate gate = new RequestGate(options.threads(), 4 * options.threads(), ServerOptions.MAX_WAIT_MILLIS);
        ApiHandler handler = new ApiHandler(mapper, new Endpoints(db, new RequestParser(mapper), metrics), metrics,
                gate, options.apiKey() == null ? null : new ApiKeyCheck(options.apiKey()), options.maxBodyBytes(),
                openApiDocument());
        HttpServer http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 128);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vdb-http-", 0).factory());
        http.setExecutor(executor);
        http.createContext("/", handler);
        http.start();
        return new VdbServer(http, executor, gate);
    }

    private static byte[] openApiDocument() {
        try (InputStream in = VdbServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    /**
     * Stops gracefully: new requests get 503, the listener closes, requests in flight get up to
     * {@code grace} to finish.
     *
     * @return true when no request is using the database any more (it may be closed)
     */
    public synchronized boolean stop(Duration grace) {
        if (stopped) {
            return true;
        }
        stopped = true;
        long deadline = System.nanoTime() + grace.toNanos();
        gate.close();
        // Returns once every exchange has finished, or after about the delay.
        http.stop((int) Math.max(1, grace.toSeconds()));
        boolean idle;
        try {
            idle = gate.awaitIdle(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        executor.shutdownNow();
        if (!idle) {
            LOG.warn("requests still running after {} of grace", grace);
        }
        return idle;
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }
}
