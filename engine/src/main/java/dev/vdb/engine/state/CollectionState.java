package dev.vdb.engine.state;

import dev.vdb.engine.PointId;
import dev.vdb.engine.idmap.IdMap;
import dev.vdb.engine.payload.FilterResolver;
import dev.vdb.engine.payload.PayloadIndexes;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.index.Deadline;
import dev.vdb.engine.text.TextIndex;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * What a collection has published: its live ordinals and their ids ({@link LiveOrdinals}), its
 * payload indexes, its BM25 index and its id map, behind one read-write lock so a query sees all
 * of them at one moment. Writers {@link #publish} a committed change under the write side (held
 * only for that in-memory swap, never across I/O); queries {@link #read} under the read side.
 *
 * <p>Thread-safe as described; the accessors return the structures themselves, which callers
 * use only while holding the matching side of the lock (readers) or the writer lock (which
 * serialises every mutation).
 */
public final class CollectionState {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final LiveOrdinals live;
    private final PayloadIndexes payloadIndexes;
    private final TextIndex text;
    /** Replaced (when it grows) under the write side. */
    private volatile IdMap idMap;
    /** The last write whose change the published structures hold; set under the write side. */
    private volatile long publishedSequence;

    public CollectionState(LiveOrdinals live, PayloadIndexes payloadIndexes, TextIndex text, IdMap idMap,
                           long sequence) {
        this.publishedSequence = sequence;
        this.live = live;
        this.payloadIndexes = payloadIndexes;
        this.text = text;
        this.idMap = idMap;
    }

    /** Runs {@code reader} at one published state (under the read side). */
    public <T> T read(Supplier<T> reader) {
        lock.readLock().lock();
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Holds the read side until the returned handle is closed. */
    public ReadHold hold() {
        lock.readLock().lock();
        return readHold;
    }

    /** The read side of the lock, held until closed. */
    public final class ReadHold implements AutoCloseable {
        @Override
        public void close() {
            lock.readLock().unlock();
        }
    }

    private final ReadHold readHold = new ReadHold();

    /** Applies a committed change in memory (under the write side); {@code change} must not do I/O. */
    public void publish(Runnable change) {
        lock.writeLock().lock();
        try {
            change.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Records that write {@code sequence} is published; call inside {@link #publish}. */
    public void markPublished(long sequence) {
        publishedSequence = sequence;
    }

    /** The last write the published structures hold: read it at one published state (under the read side). */
    public long publishedSequence() {
        return publishedSequence;
    }

    public LiveOrdinals live() {
        return live;
    }

    public PayloadIndexes payloadIndexes() {
        return payloadIndexes;
    }

    public TextIndex text() {
        return text;
    }

    public IdMap idMap() {
        return idMap;
    }

    /** Swaps in a grown id map; returns the previous one, which no reader uses any more. */
    public IdMap replaceIdMap(IdMap grown) {
        lock.writeLock().lock();
        try {
            IdMap previous = idMap;
            idMap = grown;
            return previous;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The live ordinal of {@code id}, or -1. Under either side of the lock or the writer lock. */
    public int ordinalOf(PointId id) {
        int ordinal = idMap.get(PointCodec.idBytes(id));
        return ordinal >= 0 && live.get(ordinal) ? ordinal : -1;
    }

    /** Resolves filters at this published state; use it while holding the read side. */
    public FilterResolver resolver(FilterResolver.PayloadReader payloads) {
        return resolver(payloads, Deadline.NONE);
    }

    /** As {@link #resolver(FilterResolver.PayloadReader)}, reading stored payloads within {@code deadline}. */
    public FilterResolver resolver(FilterResolver.PayloadReader payloads, Deadline deadline) {
        return new FilterResolver(live, payloadIndexes, this::ordinalOf, payloads, deadline);
    }
}
