package dev.vdb.server.transport;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A running HTTP/1.1 server that passes every request to one {@link RequestHandler}: the only
 * part of the server that knows which HTTP library is underneath. Thread-safe.
 */
public interface HttpTransport {
    /** The bound address (the real port when 0 was asked for). */
    InetSocketAddress address();

    /**
     * Stops accepting connections and returns once the exchanges in flight finished, or after
     * about {@code grace}.
     */
    void stop(Duration grace);

    /** Binds and starts a transport. */
    @FunctionalInterface
    interface Factory {
        HttpTransport start(TransportConfig config, RequestHandler handler) throws java.io.IOException;
    }
}
