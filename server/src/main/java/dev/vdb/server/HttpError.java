package dev.vdb.server;

/**
 * A request that ends with a non-2xx status and a one-sentence message for the client.
 * Immutable; thrown by request handling and mapped to the error envelope by {@link ApiHandler}.
 */
final class HttpError extends RuntimeException {
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message);
    }
}
