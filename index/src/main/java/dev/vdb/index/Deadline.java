package dev.vdb.index;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a query must stop. The hot loops (graph traversal, exact scans, BM25 windows, payload
 * evaluation) count their steps and call {@link #check} every so many ({@value #STEPS_PER_CHECK}
 * scored vectors, one BM25 window, one batch of payloads): one clock read per check, nothing at
 * all for {@link #NONE}. A check past the deadline throws {@link DeadlineExceededException}, which
 * unwinds the query on the thread that runs it, so its CPU is free the moment the answer says so.
 *
 * <p>Immutable and thread-safe; one deadline may be shared by the searches of one request.
 */
public final class Deadline {

    /** No deadline: {@link #check} never reads the clock. */
    public static final Deadline NONE = new Deadline(0, null);

    /** Vectors scored (or nodes expanded, times their links) between two checks in a loop. */
    public static final int STEPS_PER_CHECK = 1024;

    private final long expiresAt;
    /** Null for {@link #NONE}. */
    private final LongSupplier nanoClock;

    private Deadline(long expiresAt, LongSupplier nanoClock) {
        this.expiresAt = expiresAt;
        this.nanoClock = nanoClock;
    }

    /** A deadline {@code timeout} from now on {@link System#nanoTime}; {@link #NONE} for null. */
    public static Deadline after(Duration timeout) {
        if (timeout == null) {
            return NONE;
        }
        return after(timeout, System::nanoTime);
    }

    /** A deadline {@code timeout} after the clock's present reading; the clock counts nanoseconds. */
    public static Deadline after(Duration timeout, LongSupplier nanoClock) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : timeout.toNanos();
        return new Deadline(nanoClock.getAsLong() + nanos, nanoClock);
    }

    /** Whether the deadline has passed (false for {@link #NONE}). */
    public boolean expired() {
        return nanoClock != null && nanoClock.getAsLong() - expiresAt >= 0;
    }

    /** @throws DeadlineExceededException when the deadline has passed */
    public void check() {
        if (expired()) {
            throw new DeadlineExceededException();
        }
    }
}
