package dev.vdb.server;

import java.util.Objects;

/**
 * How the HTTP server listens and what it admits.
 *
 * @param host address to bind ({@value #DEFAULT_HOST} unless told otherwise)
 * @param port TCP port, 0 for an ephemeral one
 * @param apiKey the key every request but {@code /healthz} must carry in {@code api-key}, or null
 * @param maxBodyBytes request bodies above this get 413
 * @param threads requests handled at once; up to 4× as many more wait briefly, the rest get 503
 */
public record ServerOptions(String host, int port, String apiKey, long maxBodyBytes, int threads) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 6333;
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;
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
    }

    /** Twice the cores, at least 4: requests mostly compute, some wait on fsync. */
    public static int defaultThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_BODY_BYTES, defaultThreads());
    }

    public ServerOptions withPort(int newPort) {
        return new ServerOptions(host, newPort, apiKey, maxBodyBytes, threads);
    }
}
