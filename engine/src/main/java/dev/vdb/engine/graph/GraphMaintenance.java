package dev.vdb.engine.graph;

import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.storage.PointStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps a collection's {@link GraphIndex} in step with its writes: links and unlinks what each
 * committed write changed, and says when enough has changed for a checkpoint (so that a crash
 * replays only a bounded tail on open), which saves the graph.
 *
 * <p>Thread safety: graph changes from concurrent writes run in parallel (the graph locks per
 * node), each holding the read side of one lock whose write side a checkpoint takes with
 * {@code tryLock}, so a checkpoint never waits for a write; a write that reaches its graph
 * change while a checkpoint saves waits for the save (tens of milliseconds for tens of
 * thousands of nodes). Searches take no lock here.
 */
public final class GraphMaintenance {

    /** Graph changes since the last save that trigger a checkpoint: at least this many ... */
    public static final long CHECKPOINT_MIN_CHANGES = 10_000;
    /** ... and at least this fraction of the graph, so a crash replays a bounded tail. */
    private static final double CHECKPOINT_FRACTION = 0.25;

    /** Which of some ordinals are no longer live (at one published state). */
    public interface Liveness {
        int[] notLive(int[] ordinals);
    }

    private final String collection;
    private final GraphIndex graph;
    private final Path file;
    private final PointStore store;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public GraphMaintenance(String collection, GraphIndex graph, Path file, PointStore store) {
        this.collection = collection;
        this.graph = graph;
        this.file = file;
        this.store = store;
    }

    public GraphIndex graph() {
        return graph;
    }

    /**
     * Links {@code change.added()} and unlinks {@code change.removed()}. A later write may have
     * replaced an added ordinal before it was linked (its delete then found nothing to unlink), so
     * an added ordinal {@code liveness} reports gone is unlinked here. May save a checkpoint.
     */
    public void apply(GraphChange change, Liveness liveness) {
        lock.readLock().lock();
        try {
            graph.add(change.added());
            for (int ordinal : change.removed()) {
                graph.delete(ordinal);
            }
            for (int ordinal : liveness.notLive(change.added())) {
                graph.delete(ordinal);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether enough has changed since the last save for a checkpoint: a bounded tail to replay after a crash. */
    public boolean checkpointDue() {
        long changes = graph.changesSinceSave();
        return changes >= CHECKPOINT_MIN_CHANGES && changes >= CHECKPOINT_FRACTION * graph.size();
    }

    /**
     * Saves the graph when no graph change is running (searches go on); returns false, saving
     * nothing, when one is (a later checkpoint retries).
     */
    public boolean trySave() throws IOException {
        if (!lock.writeLock().tryLock()) {
            return false;
        }
        try {
            save();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Saves the graph; the caller makes sure no graph change runs (a close). */
    public void save() throws IOException {
        // the graph must never name an ordinal RocksDB could still lose
        store.syncWal();
        DerivedFiles.FileState saved = graph.save(file);
        if (saved != null) {
            store.states().recordGraphState(saved);
        }
    }
}
