package dev.vdb.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.VectorDb;
import dev.vdb.server.transport.HttpTransport;
import dev.vdb.server.transport.TlsContexts;
import dev.vdb.server.transport.TransportConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server over an open {@link VectorDb}: an {@link HttpTransport} (the one
 * {@link ServerOptions#transport} names, Jetty unless told otherwise) passing every
 * request to the transport-independent {@link ApiHandler}, with at most
 * {@link ServerOptions#threads} requests at work at once (see {@link RequestGate}). It does not own the database: whoever opened it closes it,
 * after {@link #stop} reported that no request is still using it. Thread-safe.
 *
 * <pre>{@code
 * try (VectorDb db = VectorDb.open(dir); VdbServer server = VdbServer.start(db, options)) { ... }
 * }</pre>
 */
public final class VdbServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VdbServer.class);
    /** The server's version, answered at {@code GET /}. */
    public static final String VERSION = "0.1.0";
    /** How long {@link #close} lets in-flight requests finish. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final HttpTransport http;
    private final RequestGate gate;
    private final AccessLog accessLog;
    private final boolean tls;
    private boolean stopped;

    private VdbServer(HttpTransport http, RequestGate gate, AccessLog accessLog, boolean tls) {
        this.http = http;
        this.gate = gate;
        this.accessLog = accessLog;
        this.tls = tls;
    }

    /** Binds and starts serving on the options' transport; the address is then {@link #address()}. */
    public static VdbServer start(VectorDb db, ServerOptions options) throws IOException {
        return start(db, options, options.transport().factory());
    }

    /** Binds and starts serving on the transport that {@code transport} starts (the options' is ignored). */
    public static VdbServer start(VectorDb db, ServerOptions options, HttpTransport.Factory transport)
            throws IOException {
        ObjectMapper mapper = Json.newMapper();
        ServerMetrics metrics = new ServerMetrics(db);
        RequestGate gate = new RequestGate(options.threads(), 4 * options.threads(), ServerOptions.MAX_WAIT_MILLIS);
        SSLContext tls = options.tlsCert() == null ? null : TlsContexts.fromPem(options.tlsCert(), options.tlsKey());
        BrowserGuard browsers = new BrowserGuard(options.host(), tls != null, options.corsOrigins(),
                options.allowedHosts());
        AccessLog accessLog = AccessLog.start();
        ApiHandler handler = new ApiHandler(mapper, new Endpoints(db, mapper, options.maxPayloadBytes(), metrics), metrics,
                gate, options.apiKey() == null ? null : new ApiKeyCheck(options.apiKey()), options.maxBodyBytes(),
                openApiDocument(), browsers, Dashboard.load(), options.searchTimeout(),
                new SnapshotEndpoints(db.snapshots(), new TreeReader(mapper)), accessLog);
        if (!options.loopbackOnly() && options.apiKey() == null) {
            LOG.warn("listening on {} beyond loopback without an API key: anyone who reaches this address can read, "
                    + "change and delete every collection; set --api-key (or $VDB_API_KEY){}", options.host(),
                    tls == null ? " and --tls-cert/--tls-key, since a key over plain HTTP is readable on the wire" : "");
        } else if (!options.loopbackOnly() && tls == null) {
            LOG.warn("listening on {} beyond loopback over plain HTTP: the API key is readable on the wire; "
                    + "serve HTTPS with --tls-cert and --tls-key", options.host());
        }
        HttpTransport http;
        try {
            http = transport.start(new TransportConfig(options.host(), options.port(), options.maxConnections(),
                    options.readTimeout(), tls), handler);
        } catch (IOException | RuntimeException e) {
            accessLog.close();
            throw e;
        }
        return new VdbServer(http, gate, accessLog, tls != null);
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
        return http.address();
    }

    /** {@code https} when serving TLS, else {@code http}. */
    public String scheme() {
        return tls ? "https" : "http";
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
        http.stop(grace);
        boolean idle;
        try {
            idle = gate.awaitIdle(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (!idle) {
            LOG.warn("requests still running after {} of grace", grace);
        }
        accessLog.close(); // a request still running past the grace is not logged
        return idle;
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }
}
