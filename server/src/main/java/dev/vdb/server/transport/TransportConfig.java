package dev.vdb.server.transport;

import java.util.Objects;

/**
 * What a transport needs to know to listen: the address. Immutable.
 *
 * @param host address to bind
 * @param port TCP port, 0 for an ephemeral one
 */
public record TransportConfig(String host, int port) {
    public TransportConfig {
        Objects.requireNonNull(host, "host");
    }
}
