package dev.vdb.engine.collection;

import dev.vdb.engine.NoSuchCollectionException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The lifecycle of a collection's calls: every call enters (the read side of one lock) and
 * leaves by closing the returned {@link Call}; closing, dropping and reloading the collection
 * take the write side, so they wait for running calls and no call sees a half-closed or
 * half-reloaded collection.
 *
 * <pre>{@code
 * try (CallGuard.Call call = guard.enter()) {
 *     ... use the loaded collection ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #enter} allocates nothing: the read lock is per thread, so one
 * {@link Call} object serves every caller.
 */
final class CallGuard {

    /** The reason given to {@link #close} when a collection is dropped. */
    static final String DROPPED = "dropped";

    private final String collection;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Call call = new Call();
    /** Set under the write side; a closed collection answers nothing. */
    private volatile String closedBecause;

    CallGuard(String collection) {
        this.collection = collection;
    }

    /** A call in progress; {@link #close} leaves it. */
    final class Call implements AutoCloseable {
        @Override
        public void close() {
            lock.readLock().unlock();
        }
    }

    /**
     * Enters a call.
     *
     * @throws NoSuchCollectionException when the collection was dropped
     * @throws IllegalStateException when it was closed
     */
    Call enter() {
        lock.readLock().lock();
        String reason = closedBecause;
        if (reason != null) {
            lock.readLock().unlock();
            if (reason.equals(DROPPED)) {
                throw new NoSuchCollectionException(collection);
            }
            throw new IllegalStateException("collection '" + collection + "' is closed: " + reason);
        }
        return call;
    }

    /**
     * Runs {@code action} once no call is running and none can start, then marks the collection
     * closed for {@code reason}. Returns false (running nothing) when it was closed already.
     */
    boolean close(String reason, Runnable action) {
        lock.writeLock().lock();
        try {
            if (closedBecause != null) {
                return false;
            }
            closedBecause = reason;
            action.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs {@code action} if no call is running now and the collection is open, without waiting;
     * returns its answer, or false when it did not run.
     */
    boolean tryExclusive(java.util.function.BooleanSupplier action) {
        if (!lock.writeLock().tryLock()) {
            return false;
        }
        try {
            return closedBecause == null && action.getAsBoolean();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs {@code action} once no call is running and none can start, and marks the collection
     * closed for {@code reason} if it returns; if it throws, the collection stays open.
     *
     * @throws IllegalStateException when the collection was closed already
     */
    void closeAfter(String reason, Runnable action) {
        lock.writeLock().lock();
        try {
            if (closedBecause != null) {
                throw new IllegalStateException("collection '" + collection + "' is closed: " + closedBecause);
            }
            action.run();
            closedBecause = reason;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code action} while no call is running (a reload); nothing if the collection is closed. */
    void exclusive(Runnable action) {
        lock.writeLock().lock();
        try {
            if (closedBecause == null) {
                action.run();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
