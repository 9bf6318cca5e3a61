package dev.vdb.server;

import java.io.IOException;

/**
 * The request body exceeded the configured limit (HTTP 413). An {@link IOException} so that it
 * passes unchanged through the JSON parser that is reading the body.
 */
final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long maxBytes) {
        super("request body is larger than the limit of " + maxBytes + " bytes");
    }
}
