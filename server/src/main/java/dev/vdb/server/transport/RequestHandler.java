package dev.vdb.server.transport;

/**
 * Answers one request; everything a transport does not do (routing, JSON, auth, limits,
 * metrics, the access log) happens behind this. Implementations are thread-safe: a transport
 * calls {@link #handle} from many threads at once, and never lets an exception escape it.
 */
@FunctionalInterface
public interface RequestHandler {
    TransportResponse handle(TransportRequest request);
}
