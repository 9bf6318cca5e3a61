package dev.vdb.server.transport;

import java.nio.file.Path;
import java.util.Map;

/**
 * A finished answer for the transport to send: status, content type, extra headers and the whole
 * body, or a file to stream as the body (a snapshot download: {@code body} is then empty).
 * {@code closeConnection} asks the transport to close the connection after sending (the
 * request's body was left unread, so the connection cannot carry another request). Immutable.
 *
 * @param file a file whose bytes are the body, or null
 */
public record TransportResponse(int status, String contentType, Map<String, String> headers, byte[] body,
                                boolean closeConnection, Path file) {
    public TransportResponse {
        headers = Map.copyOf(headers);
    }

    /** An answer whose body is {@code body}. */
    public TransportResponse(int status, String contentType, Map<String, String> headers, byte[] body,
                             boolean closeConnection) {
        this(status, contentType, headers, body, closeConnection, null);
    }
}
