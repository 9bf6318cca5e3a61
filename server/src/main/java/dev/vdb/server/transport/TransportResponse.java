package dev.vdb.server.transport;

import java.util.Map;

/**
 * A finished answer for the transport to send: status, content type, extra headers and the whole
 * body. {@code closeConnection} asks the transport to close the connection after sending (the
 * request's body was left unread, so the connection cannot carry another request). Immutable.
 */
public record TransportResponse(int status, String contentType, Map<String, String> headers, byte[] body,
                                boolean closeConnection) {
    public TransportResponse {
        headers = Map.copyOf(headers);
    }
}
