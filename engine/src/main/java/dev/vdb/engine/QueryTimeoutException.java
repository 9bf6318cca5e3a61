package dev.vdb.engine;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A search, count or delete by filter that ran past its timeout and was cancelled (HTTP 503):
 * the thread that ran it stopped working on it, and a delete by filter deleted nothing.
 */
public final class QueryTimeoutException extends RuntimeException {
    private final Duration timeout;

    /** @param what the operation, e.g. {@code search} */
    public QueryTimeoutException(String what, Duration timeout) {
        super(what + " was cancelled: it ran past its timeout of " + seconds(timeout) + " s");
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The duration in seconds, as briefly as exact: {@code 30}, {@code 0.5}. */
    static String seconds(Duration d) {
        return new BigDecimal(d.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString();
    }
}
