package dev.vdb.engine.graph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a collection's {@link GraphIndex} in step with its writes: links and unlinks what each
 * committed write changed, and saves the graph as a checkpoint once enough has changed, so that
 * a crash replays only a bounded tail on open.
 *
 * <p>Thread safety: graph changes from concurrent writes run in parallel (the graph locks per
 * node), each holding the read side of one lock whose write side a checkpoint takes with
 * {@code tryLock}, so no write ever waits for a checkpoint; searches take no lock here.
 */
public final class GraphMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(GraphMaintenance.class);
    /** Graph changes since the last save that trigger a checkpoint: at least this many ... */
    public static final long CHECKPOINT_MIN_CHANGES = 10_000;
    /** ... and at least this fraction of the graph, so a crash replays a bounded tail. */
    private static final double CHECKPOINT_FRACTION = 0.25;

    /** Makes every acknowledged write durable (the RocksDB write-ahead log synced). */
    public interface Durability {
        void syncWal();
    }

    /** Which of some ordinals are no longer live (at one published state). */
    public interface Liveness {
        int[] notLive(int[] ordinals);
    }

    private final String collection;
    private final GraphIndex graph;
    private final Path file;
    private final Durability durability;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public GraphMaintenance(String collection, GraphIndex graph, Path file, Durability durability) {
        this.collection = collection;
        this.graph = graph;
        this.file = file;
        this.durability = durability;
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
        checkpointIfDue();
    }

    /**
     * Saves the graph once enough has changed since the last save. Runs on the writing thread
     * when no other graph change is running (searches go on); skipped, to be retried by a later
     * write, when one is.
     */
    private void checkpointIfDue() {
        long changes = graph.changesSinceSave();
        if (changes < CHECKPOINT_MIN_CHANGES || changes < CHECKPOINT_FRACTION * graph.size()
                || !lock.writeLock().tryLock()) {
            return;
        }
        try {
            save();
        } catch (IOException | RuntimeException e) {
            LOG.warn("collection '{}': saving an HNSW checkpoint failed; the next one or close retries", collection, e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Saves the graph; the caller makes sure no graph change runs (a close). */
    public void save() throws IOException {
        // the graph must never name an ordinal RocksDB could still lose
        durability.syncWal();
        graph.save(file);
    }
}
