package dev.vdb.server.transport;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Writes the errors Jetty answers itself, before any request reaches the handler, in the API's
 * error envelope ({@code {"status":{"error":".."},"time":0}}) instead of Jetty's HTML page: a
 * path Jetty will not parse (a {@code %00}, dot segments above the root), a head too large, a
 * malformed message, 503 while stopping. Stateless and thread-safe.
 */
final class JettyErrorAnswer implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException refusal) {
            status = refusal.getCode();
            response.setStatus(status);
            if (message == null) {
                message = refusal.getReason();
            }
        }
        if (HttpStatus.hasNoBody(status)) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            callback.succeeded();
            return true;
        }
        if (message == null) {
            message = HttpStatus.getMessage(status);
        }
        String body = "{\"status\":{\"error\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message))
                + "\"},\"time\":0}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty closes the connection after most of these; say so, or a client may send the next request on it
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
