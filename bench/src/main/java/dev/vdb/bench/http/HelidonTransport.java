package dev.vdb.bench.http;

import dev.vdb.server.transport.HttpTransport;
import dev.vdb.server.transport.RequestHandler;
import dev.vdb.server.transport.TransportConfig;
import dev.vdb.server.transport.TransportRequest;
import dev.vdb.server.transport.TransportResponse;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * Our transport SPI on Helidon SE 4's WebServer (virtual thread per request, its own HTTP/1.1
 * on blocking sockets, no Netty), for {@code ./vdb bench http-load} to compare with the JDK
 * server. Thread-safe.
 */
final class HelidonTransport implements HttpTransport {
    private final WebServer server;
    private final String host;

    private HelidonTransport(WebServer server, String host) {
        this.server = server;
        this.host = host;
    }

    static HttpTransport start(TransportConfig config, RequestHandler handler) {
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false)
                .maxTcpConnections(config.maxConnections())
                .idleConnectionTimeout(config.readTimeout())
                .connectionOptions(o -> o.tcpNoDelay(true)) // as the JDK transport and Jetty: no Nagle stall
                .routing(r -> r.any((req, res) -> serve(req, res, handler)))
                .build()
                .start();
        return new HelidonTransport(server, config.host());
    }

    private static void serve(ServerRequest req, ServerResponse res, RequestHandler handler) {
        TransportResponse answer = handler.handle(new Request(req));
        res.status(answer.status());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            res.header(h.getKey(), h.getValue());
        }
        if (answer.closeConnection()) {
            res.header(HeaderNames.CONNECTION, "close");
        }
        res.header(HeaderNames.CONTENT_TYPE, answer.contentType());
        try {
            // a snapshot download (a file) is read whole: these transports serve benchmarks only
            res.send(answer.file() == null ? answer.body() : java.nio.file.Files.readAllBytes(answer.file()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(host, server.port());
    }

    @Override
    public void stop(Duration grace) {
        server.stop();
    }

    /** The request side. */
    private record Request(ServerRequest req) implements TransportRequest {
        @Override
        public String method() {
            return req.prologue().method().text();
        }

        @Override
        public String rawPath() {
            return req.prologue().uriPath().rawPath();
        }

        @Override
        public String rawQuery() {
            String query = req.prologue().query().rawValue();
            return query.isEmpty() ? null : query;
        }

        @Override
        public String header(String name) {
            return req.headers().first(HeaderNames.create(name)).orElse(null);
        }

        @Override
        public InputStream body() {
            return req.content().hasEntity() ? req.content().inputStream() : InputStream.nullInputStream();
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(req.remotePeer().address());
        }
    }
}
