package dev.vdb.server.transport;

import java.io.InputStream;

/**
 * One HTTP request as a transport hands it to the {@link RequestHandler}: what the handler needs
 * and nothing of the transport's own types. The body is read at most once, by the handler, on
 * the thread that handles the request. Not thread-safe: one request, one thread.
 */
public interface TransportRequest {
    /** The method as sent, e.g. {@code GET}. */
    String method();

    /** The path, still percent-encoded, without the query. */
    String rawPath();

    /** The query string after {@code ?}, still percent-encoded, or null when there is none. */
    String rawQuery();

    /** The first value of a header (names compare case-insensitively), or null. */
    String header(String name);

    /** The body as it arrives (de-chunked); empty when there is none. */
    InputStream body();

    /** The client's address, for the access log. */
    String remoteAddress();
}
