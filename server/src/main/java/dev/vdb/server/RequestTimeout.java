package dev.vdb.server;

import dev.vdb.engine.QueryTimeoutException;
import dev.vdb.engine.SearchRequest;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How long one request's searches, counts and deletes by filter may run: Qdrant's {@code timeout}
 * query parameter in seconds, or the server's {@code --search-timeout}. It counts from the
 * request's arrival, and the searches of one request (a batch, the prefetches of a query) share
 * it: each gets what is left. Immutable and thread-safe.
 */
final class RequestTimeout {
    private final Duration timeout;
    private final boolean fromRequest;
    private final long startNanos;

    private RequestTimeout(Duration timeout, boolean fromRequest, long startNanos) {
        this.timeout = timeout;
        this.fromRequest = fromRequest;
        this.startNanos = startNanos;
    }

    /**
     * The timeout a request's query string names ({@code timeout=SECONDS}, a positive number), or
     * {@code serverDefault}; other parameters are Qdrant's and left alone.
     *
     * @param rawQuery the query string, still percent-encoded, or null
     * @throws IllegalArgumentException naming a timeout that is not a positive number
     */
    static RequestTimeout of(String rawQuery, Duration serverDefault, long startNanos) {
        if (rawQuery != null) {
            for (String parameter : rawQuery.split("&")) {
                int eq = parameter.indexOf('=');
                String name = eq < 0 ? parameter : parameter.substring(0, eq);
                if (name.equals("timeout")) {
                    return new RequestTimeout(seconds(eq < 0 ? "" : parameter.substring(eq + 1)), true, startNanos);
                }
            }
        }
        return new RequestTimeout(serverDefault, false, startNanos);
    }

    private static Duration seconds(String raw) {
        String value;
        try {
            value = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            value = raw;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            if (seconds.signum() > 0) {
                long nanos = seconds.movePointRight(9).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
                if (nanos > 0) {
                    return Duration.ofNanos(nanos);
                }
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("timeout must be a positive number of seconds, got " + Json.quote(value));
    }

    /** What is left of the timeout; a request past it is cancelled here. */
    Duration remaining() {
        Duration left = timeout.minusNanos(System.nanoTime() - startNanos);
        if (left.isNegative() || left.isZero()) {
            throw new QueryTimeoutException("the request", timeout);
        }
        return left;
    }

    /** {@code request} limited to what is left of the timeout. */
    SearchRequest applyTo(SearchRequest request) {
        return request.toBuilder().timeout(remaining()).build();
    }

    /** The answer's message when the request ran past its timeout. */
    String message() {
        return "the request ran past its timeout of " + new BigDecimal(timeout.toNanos()).movePointLeft(9)
                .stripTrailingZeros().toPlainString() + " s and was cancelled"
                + (fromRequest ? " (its timeout parameter)" : " (the server's --search-timeout; a request may give "
                + "another with ?timeout=SECONDS)");
    }
}
