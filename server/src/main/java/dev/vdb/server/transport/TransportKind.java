package dev.vdb.server.transport;

import java.util.Locale;

/** The transports a server can run on, by the name {@code --transport} takes. Immutable. */
public enum TransportKind {
    /** {@link JettyTransport}: measured faster than the JDK server, equally safe. */
    JETTY(JettyTransport::start),
    /** {@link JdkTransport}: the JDK's own {@code com.sun.net.httpserver}, no dependency. */
    JDK(JdkTransport::start);

    /** The default's name, for the command line's help. */
    public static final String DEFAULT_NAME = "jetty";
    public static final TransportKind DEFAULT = parse(DEFAULT_NAME);

    private final HttpTransport.Factory factory;

    TransportKind(HttpTransport.Factory factory) {
        this.factory = factory;
    }

    public HttpTransport.Factory factory() {
        return factory;
    }

    /** The name as the command line takes it: {@code jetty} or {@code jdk}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport named {@code name} ({@code jetty} or {@code jdk}), or IllegalArgumentException. */
    public static TransportKind parse(String name) {
        for (TransportKind kind : values()) {
            if (kind.cliName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("transport must be jetty or jdk, got " + name);
    }
}
