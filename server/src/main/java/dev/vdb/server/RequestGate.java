package dev.vdb.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the requests handled at once: at most {@code maxActive} run, at most
 * {@code maxWaiting} more wait up to {@code maxWait} for a slot, everything beyond is turned
 * away at once (the caller answers 503 with Retry-After). There is no unbounded queue.
 * After {@link #close} nothing enters; {@link #awaitIdle} lets shutdown wait for the requests
 * in flight. Thread-safe.
 */
final class RequestGate {
    private final int maxActive;
    private final int maxWaiting;
    private final long maxWaitNanos;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean closed;

    RequestGate(int maxActive, int maxWaiting, long maxWaitMillis) {
        if (maxActive < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + maxActive);
        }
        this.maxActive = maxActive;
        this.maxWaiting = maxWaiting;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.slots = new Semaphore(maxActive);
    }

    /** True when the caller got a slot and must call {@link #leave}; false when it must answer 503. */
    boolean tryEnter() throws InterruptedException {
        if (closed) {
            return false;
        }
        if (slots.tryAcquire()) {
            return enteredUnlessClosed();
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return slots.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS) && enteredUnlessClosed();
        } finally {
            waiting.decrementAndGet();
        }
    }

    private boolean enteredUnlessClosed() {
        if (closed) {
            slots.release();
            return false;
        }
        return true;
    }

    void leave() {
        slots.release();
    }

    boolean isClosed() {
        return closed;
    }

    /** Lets no new request in. */
    void close() {
        closed = true;
    }

    /** Waits until no request holds a slot; true when that happened within the timeout. */
    boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        if (slots.tryAcquire(maxActive, timeout, unit)) {
            slots.release(maxActive);
            return true;
        }
        return false;
    }
}
