package dev.vdb.server;

import dev.vdb.engine.DbOptions;
import dev.vdb.server.transport.TransportKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the HTTP server listens and what it admits. Immutable.
 *
 * @param host address to bind ({@value #DEFAULT_HOST} unless told otherwise)
 * @param port TCP port, 0 for an ephemeral one
 * @param apiKey the key every request but {@code /healthz} must carry (header {@code api-key} or
 *     {@code Authorization: Bearer}), or null
 * @param maxBodyBytes request bodies above this get 413
 * @param threads requests handled at once; up to 4× as many more wait briefly, the rest get 503
 * @param maxConnections open connections at most; more are closed as soon as they are accepted
 * @param readTimeout longest time a client may take to send a request (head and body); then the
 *     connection is closed. Idle keep-alive connections are closed after the same time
 * @param corsOrigins web origins (e.g. {@code https://app.example.com}) whose pages may call the
 *     API; any other cross-origin request gets 403. {@code *} allows every origin
 * @param allowedHosts names the Host header may carry besides the bound address (and, when bound
 *     to loopback, {@code localhost}); a request naming another host gets 403 (DNS rebinding)
 * @param tlsCert PEM certificate chain to serve HTTPS with, or null for plain HTTP
 * @param tlsKey PEM (PKCS#8) private key of {@code tlsCert}, or null
 * @param maxPayloadBytes the largest payload a point may carry, in bytes of JSON; a bigger one is a
 *     400 naming the point, refused while it is read, before it is built in memory
 * @param searchTimeout how long a search, count or delete by filter may run when its request
 *     names no {@code timeout}; past it the work stops and the answer is 503
 * @param transport the HTTP server underneath ({@link TransportKind#DEFAULT} unless told otherwise)
 */
public record ServerOptions(String host, int port, String apiKey, long maxBodyBytes, int threads, int maxConnections,
                            Duration readTimeout, List<String> corsOrigins, List<String> allowedHosts, Path tlsCert,
                            Path tlsKey, int maxPayloadBytes, Duration searchTimeout, TransportKind transport) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 6333;
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = DbOptions.DEFAULT_MAX_PAYLOAD_BYTES;
    public static final Duration DEFAULT_SEARCH_TIMEOUT = Duration.ofSeconds(30);
    /** How long a request waits for a free slot before it is answered 503. */
    public static final long MAX_WAIT_MILLIS = 100;

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (apiKey != null && apiKey.isEmpty()) {
            throw new IllegalArgumentException("api-key must not be empty when given");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("max-body-bytes must be positive, got " + maxBodyBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max-connections must be at least 1, got " + maxConnections);
        }
        if (readTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("read-timeout must be at least 1 s, got " + readTimeout);
        }
        corsOrigins = List.copyOf(corsOrigins);
        allowedHosts = List.copyOf(allowedHosts);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("tls-cert and tls-key go together, got only "
                    + (tlsCert == null ? "tls-key" : "tls-cert"));
        }
        if (maxPayloadBytes < 2) {
            throw new IllegalArgumentException("max-payload-bytes must be at least 2 (an empty object), got "
                    + maxPayloadBytes);
        }
        if (searchTimeout.isNegative() || searchTimeout.isZero()) {
            throw new IllegalArgumentException("search-timeout must be positive, got " + searchTimeout);
        }
        Objects.requireNonNull(transport, "transport");
    }

    /** Plain HTTP with the default connection limits, no CORS origins and no extra host names. */
    public ServerOptions(String host, int port, String apiKey, long maxBodyBytes, int threads) {
        this(host, port, apiKey, maxBodyBytes, threads, DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_TIMEOUT, List.of(),
                List.of(), null, null, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_SEARCH_TIMEOUT, TransportKind.DEFAULT);
    }

    /** Twice the cores, at least 4: requests mostly compute, some wait on fsync. */
    public static int defaultThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    public ServerOptions withBrowserAccess(List<String> newCorsOrigins, List<String> newAllowedHosts) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, threads, maxConnections, readTimeout, newCorsOrigins,
                newAllowedHosts, tlsCert, tlsKey, maxPayloadBytes, searchTimeout, transport);
    }

    public ServerOptions withTls(Path newTlsCert, Path newTlsKey) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, threads, maxConnections, readTimeout, corsOrigins,
                allowedHosts, newTlsCert, newTlsKey, maxPayloadBytes, searchTimeout, transport);
    }

    public ServerOptions withLimits(int newMaxPayloadBytes, Duration newSearchTimeout) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, threads, maxConnections, readTimeout, corsOrigins,
                allowedHosts, tlsCert, tlsKey, newMaxPayloadBytes, newSearchTimeout, transport);
    }

    public ServerOptions withTransport(TransportKind newTransport) {
        return new ServerOptions(host, port, apiKey, maxBodyBytes, threads, maxConnections, readTimeout, corsOrigins,
                allowedHosts, tlsCert, tlsKey, maxPayloadBytes, searchTimeout, newTransport);
    }

    /** True when the bound address is reachable from this machine only. */
    public boolean loopbackOnly() {
        return BrowserGuard.isLoopbackName(host);
    }
}
