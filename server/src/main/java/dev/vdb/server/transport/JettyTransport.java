package dev.vdb.server.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport on Jetty 12's core server (its NIO connector, no servlet layer, no Netty),
 * HTTP/1.1 over TLS when the config has a context. The connection cap closes connections beyond
 * it as they are accepted ({@link JettyConnectionCap}); the read timeout is the idle timeout
 * (an idle keep-alive connection, a new one that sends nothing, a stalled body) and a deadline on
 * each whole request ({@link JettyReadDeadline}); TCP_NODELAY is Jetty's default.
 *
 * <p>Threads: the handler blocks (searches, RocksDB, reading the body), so it runs on Jetty's
 * {@code QueuedThreadPool} of platform threads, the pool this transport was measured with, sized
 * to one thread per allowed connection plus Jetty's own (acceptor, selectors): HTTP/1.1 handles
 * one request per connection at a time, so no number of slow clients can leave a request waiting
 * for a thread. Idle threads exit after a minute. Thread-safe.
 */
public final class JettyTransport implements HttpTransport {
    private static final Logger LOG = LoggerFactory.getLogger(JettyTransport.class);
    /** Threads beyond one per connection, for Jetty's acceptor, selectors and reserved threads. */
    private static final int JETTY_THREADS = 32;

    private final Server server;
    private final ServerConnector connector;
    private final JettyReadDeadline deadline;

    private JettyTransport(Server server, ServerConnector connector, JettyReadDeadline deadline) {
        this.server = server;
        this.connector = connector;
        this.deadline = deadline;
    }

    /** A {@link HttpTransport.Factory} for this transport. */
    public static HttpTransport start(TransportConfig config, RequestHandler handler) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(config.maxConnections() + JETTY_THREADS);
        threads.setName("vdb-http");
        Server server = new Server(threads);
        ServerConnector connector = connector(server, config);
        server.addConnector(connector);
        // stop() waits for the requests in flight; new ones meanwhile get 503
        server.setHandler(new GracefulHandler(new JettyHandler(handler)));
        server.setErrorHandler(new JettyErrorAnswer());
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (e instanceof IOException io) { // e.g. the port is taken
                throw io;
            }
            throw new IOException("Jetty did not start: " + e, e);
        }
        return new JettyTransport(server, connector, JettyReadDeadline.start(connector, config.readTimeout()));
    }

    private static ServerConnector connector(Server server, TransportConfig config) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // the handler decodes and checks the raw path itself: it answers ambiguous ones (%2F, %2e%2e)
        http.setUriCompliance(UriCompliance.UNSAFE);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ServerConnector connector = config.tls() == null ? new ServerConnector(server, h1)
                : new ServerConnector(server, new SslConnectionFactory(tls(config.tls()), HttpVersion.HTTP_1_1.asString()),
                        h1);
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setAcceptQueueSize(128);
        connector.setIdleTimeout(config.readTimeout().toMillis());
        connector.addBean(new JettyConnectionCap(config.maxConnections()));
        return connector;
    }

    private static SslContextFactory.Server tls(SSLContext context) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(context);
        return factory;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    @Override
    public void stop(Duration grace) {
        deadline.stop();
        server.setStopTimeout(Math.max(1, grace.toMillis()));
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly: {}", e.toString());
        }
    }
}
