package dev.vdb.server.transport;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What a transport needs to know to listen and whom to let in. Immutable.
 *
 * @param host address to bind
 * @param port TCP port, 0 for an ephemeral one
 * @param maxConnections open connections at most; a transport closes connections beyond it
 * @param readTimeout longest time a client may take to send one request, head and body; also how
 *     long an idle keep-alive connection stays open
 * @param tls the TLS context to serve HTTPS with, or null for plain HTTP
 */
public record TransportConfig(String host, int port, int maxConnections, Duration readTimeout, SSLContext tls) {
    public TransportConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(readTimeout, "readTimeout");
    }
}
