package dev.vdb.engine.collection;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.db.CollectionFiles;
import dev.vdb.engine.storage.PointStore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A collection held still for a snapshot: a call is entered (so it is not closed, dropped or
 * reloaded meanwhile) and no checkpoint can rewrite its derived files until
 * {@link #releaseCheckpoints}; writes and searches go on. Take the RocksDB snapshot and copy the
 * derived files while both are held, then release the checkpoints and stream the records.
 *
 * <p>Not thread-safe: the thread that took it uses and closes it (the call's lock is per thread).
 */
public final class SnapshotHold implements AutoCloseable {

    private final RocksCollection collection;
    private final CallGuard.Call call;
    private final ReentrantLock checkpoints;
    private boolean checkpointsHeld;

    SnapshotHold(RocksCollection collection, CallGuard.Call call, ReentrantLock checkpoints) {
        this.collection = collection;
        this.call = call;
        this.checkpoints = checkpoints;
        checkpoints.lock(); // a checkpoint saving right now finishes first
        checkpointsHeld = true;
    }

    public String name() {
        return collection.name();
    }

    public CollectionConfig config() {
        return collection.config();
    }

    public PointStore store() {
        return collection.store();
    }

    public CollectionFiles files() {
        return collection.files();
    }

    /** Lets checkpoints run again (the derived files have been copied). */
    public void releaseCheckpoints() {
        if (checkpointsHeld) {
            checkpointsHeld = false;
            checkpoints.unlock();
        }
    }

    @Override
    public void close() {
        releaseCheckpoints();
        call.close();
    }
}
