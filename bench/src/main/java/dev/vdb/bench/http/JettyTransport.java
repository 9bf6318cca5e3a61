package dev.vdb.bench.http;

import dev.vdb.server.transport.HttpTransport;
import dev.vdb.server.transport.RequestHandler;
import dev.vdb.server.transport.TransportConfig;
import dev.vdb.server.transport.TransportRequest;
import dev.vdb.server.transport.TransportResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Our transport SPI on Jetty 12's core server (its NIO connector and default thread pool, no
 * servlet layer, no Netty), for {@code ./vdb bench http-load} to compare with the JDK server.
 * Thread-safe.
 */
final class JettyTransport implements HttpTransport {
    private final Server server;
    private final ServerConnector connector;

    private JettyTransport(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static HttpTransport start(TransportConfig config, RequestHandler handler) throws IOException {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(config.readTimeout().toMillis());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                TransportResponse answer = handler.handle(new JettyRequest(request));
                response.setStatus(answer.status());
                for (Map.Entry<String, String> h : answer.headers().entrySet()) {
                    response.getHeaders().put(h.getKey(), h.getValue());
                }
                if (answer.closeConnection()) {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
                byte[] body;
                try {
                    // a snapshot download (a file) is read whole: these transports serve benchmarks only
                    body = answer.file() == null ? answer.body() : java.nio.file.Files.readAllBytes(answer.file());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IOException("Jetty did not start", e);
        }
        return new JettyTransport(server, connector);
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    @Override
    public void stop(Duration grace) {
        try {
            server.setStopTimeout(grace.toMillis());
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }

    /** The request side. */
    private record JettyRequest(Request request) implements TransportRequest {
        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String rawPath() {
            return request.getHttpURI().getPath();
        }

        @Override
        public String rawQuery() {
            return request.getHttpURI().getQuery();
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        @Override
        public InputStream body() {
            return Content.Source.asInputStream(request);
        }

        @Override
        public String remoteAddress() {
            return Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request);
        }
    }
}
