package dev.vdb.engine.graph;

import dev.vdb.index.hnsw.HnswIndex;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Decides when a collection's graph keeps the scores of its level-0 lists across writes
 * ({@link HnswIndex#startKeepingScores}). A bulk load through the API arrives as many batches,
 * each too small for {@link HnswIndex#addAll} to keep them on its own, yet together they build
 * most of the graph, so their link backs gain as much as one large batch's. A <em>run</em> is a
 * sequence of adds with less than the idle time between the end of one and the start of the
 * next (adds that overlap are one run); the scores are kept once the run
 * makes up a quarter of the graph it leaves ({@link HnswIndex#keepingScoresPays}, the rule of one
 * batch), and dropped by a watcher thread once the run has been idle for the idle time: the load
 * is over and the 2M floats per node go back. The idle time is short: a loader whose batches come
 * further apart is held up by something else (computing its embeddings, say), not by the graph.
 *
 * <p>Thread-safe: writes call in concurrently, each {@link #beforeAdds} followed by one
 * {@link #afterAdds}; the decisions run under this object's monitor.
 */
final class BulkAddScores {

    /** How long after its last add a run is over, for a collection's graph. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HnswIndex index;
    private final long idleNanos;
    /** Adds of the current run; guarded by this. */
    private long runAdds;
    /** When the run's last add ended; guarded by this. */
    private long lastAddNanos;
    /** Adds between {@link #beforeAdds} and {@link #afterAdds} now; guarded by this. */
    private int adding;
    /** Whether this holds one {@link HnswIndex#startKeepingScores} (and a watcher runs); guarded by this. */
    private boolean keeping;

    BulkAddScores(HnswIndex index, long idleNanos) {
        this.index = index;
        this.idleNanos = idleNanos;
    }

    /**
     * Called before {@code adds} nodes are added: starts keeping scores when the run now pays for
     * them. Counts the adds as running first, so that the {@link #afterAdds} a caller runs in a
     * {@code finally} balances it even when this throws.
     */
    synchronized void beforeAdds(int adds) {
        if (adding == 0 && runAdds > 0 && System.nanoTime() - lastAddNanos >= idleNanos) {
            runAdds = 0; // the previous run is over (one that kept scores ends by its watcher)
        }
        adding++;
        runAdds += adds;
        if (!keeping) {
            long sizeBeforeRun = Math.max(0, index.size() + adds - runAdds);
            if (HnswIndex.keepingScoresPays(runAdds, sizeBeforeRun)) {
                index.startKeepingScores();
                keeping = true;
                WeakReference<BulkAddScores> watched = new WeakReference<>(this);
                Thread.ofVirtual().name("vdb-bulk-add-scores").start(() -> dropWhenIdle(watched));
            }
        }
    }

    /** Called when the adds {@link #beforeAdds} announced are linked (or failed). */
    synchronized void afterAdds() {
        adding--;
        lastAddNanos = System.nanoTime();
    }

    /**
     * The watcher: waits until the run has been idle for the idle time, then drops its scores and
     * ends it. It holds the graph only weakly while it waits, so a collection closed or dropped
     * meanwhile is not kept alive by it: the watcher then just ends.
     */
    private static void dropWhenIdle(WeakReference<BulkAddScores> watched) {
        while (true) {
            BulkAddScores scores = watched.get();
            long wait = scores == null ? 0 : scores.dropIfIdle();
            if (wait == 0) {
                return;
            }
            scores = null; // not held while parked
            LockSupport.parkNanos(wait);
        }
    }

    /**
     * Drops the scores and ends the run when no add runs and the last ended the idle time ago,
     * returning 0; else how long to wait before looking again.
     */
    private synchronized long dropIfIdle() {
        long left = adding > 0 ? idleNanos : lastAddNanos + idleNanos - System.nanoTime();
        if (left > 0) {
            return left;
        }
        index.stopKeepingScores();
        keeping = false;
        runAdds = 0;
        return 0;
    }
}
