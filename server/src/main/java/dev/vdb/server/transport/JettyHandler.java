package dev.vdb.server.transport;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Passes each Jetty request to the {@link RequestHandler} on the thread Jetty dispatched it to (a
 * blocking handler), then sends the answer: the body in one write, or the file streamed from
 * disk without blocking a thread. An idle timeout while the handler reads the body closes the
 * connection unanswered (the JDK server does the same when a request takes too long to arrive),
 * and the idle timeout never cuts a request whose handler is at work (a long search): it stops
 * only reads and writes. Thread-safe.
 */
final class JettyHandler extends Handler.Abstract {
    private final RequestHandler handler;

    JettyHandler(RequestHandler handler) {
        this.handler = handler;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        // Without pending I/O Jetty would fail the request on idle timeout; the handler is working.
        request.addIdleTimeoutListener(timeout -> false);
        TransportResponse answer = handler.handle(new JettyRequest(request));
        response.setStatus(answer.status());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.getHeaders().put(h.getKey(), h.getValue());
        }
        if (answer.closeConnection()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        if (answer.file() != null) {
            try {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(answer.file()));
            } catch (IOException e) {
                callback.failed(e);
                return true;
            }
            Content.copy(Content.Source.from(answer.file()), response, callback);
            return true;
        }
        if (!HttpStatus.hasNoBody(answer.status())) { // a 204 carries no Content-Length
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
        return true;
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
            return new Body(request);
        }

        @Override
        public String remoteAddress() {
            String host = Request.getRemoteAddr(request);
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + Request.getRemotePort(request);
        }
    }

    /**
     * The request body as a blocking stream: a failed read is an IOException (Jetty throws some
     * as unchecked), and one that timed out ends the connection.
     */
    private static final class Body extends FilterInputStream {
        private final Request request;

        Body(Request request) {
            super(Content.Source.asInputStream(request));
            this.request = request;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException | RuntimeException e) {
                throw failed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw failed(e);
            }
        }

        private IOException failed(Exception e) {
            if (e.getCause() instanceof TimeoutException) {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
            }
            return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }
}
