package dev.vdb.engine.graph;

import dev.vdb.engine.write.WriteFaults;
import dev.vdb.engine.write.WriteStep;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links a loaded graph's backlog ({@link GraphIndex#unlinked}: the points written after its last
 * checkpoint) on a thread of its own, a chunk at a time through {@link GraphMaintenance#apply} as
 * writes link theirs, then runs {@code whenLinked} (a checkpoint, so the next crash does not
 * replay the same points). A failure is logged and leaves the rest of the backlog unlinked:
 * searches go on scoring it exactly, and the next open replays it.
 *
 * <p>Thread safety: {@link #close} stops the thread between chunks and waits for it; call it
 * before saving or releasing the graph. {@link #awaitLinked} may be called from any thread.
 */
public final class BacklogLinker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogLinker.class);
    /** Ordinals linked per step: enough to use every core, few enough for a prompt close. */
    private static final int CHUNK = 2_048;

    private final String collection;
    private final GraphMaintenance maintenance;
    private final GraphMaintenance.Liveness liveness;
    private final WriteFaults faults;
    private final Runnable whenLinked;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean stopped;
    private Thread thread;

    private BacklogLinker(String collection, GraphMaintenance maintenance, GraphMaintenance.Liveness liveness,
                          WriteFaults faults, Runnable whenLinked) {
        this.collection = collection;
        this.maintenance = maintenance;
        this.liveness = liveness;
        this.faults = faults;
        this.whenLinked = whenLinked;
    }

    /** Starts linking the backlog of {@code maintenance}'s graph; a linker with nothing to do starts no thread. */
    public static BacklogLinker start(String collection, GraphMaintenance maintenance, GraphMaintenance.Liveness liveness,
                                      WriteFaults faults, Runnable whenLinked) {
        BacklogLinker linker = new BacklogLinker(collection, maintenance, liveness, faults, whenLinked);
        if (!maintenance.graph().hasBacklog()) {
            linker.done.complete(null);
            return linker;
        }
        linker.thread = Thread.ofPlatform().daemon().name("vdb-link-backlog-" + collection).start(linker::run);
        return linker;
    }

    private void run() {
        GraphIndex graph = maintenance.graph();
        long start = System.nanoTime();
        int linked = 0;
        try {
            while (!stopped) {
                int[] chunk = graph.nextBacklogChunk(CHUNK);
                if (chunk.length == 0) {
                    break;
                }
                faults.at(WriteStep.LINK_BACKLOG);
                maintenance.apply(new GraphChange(chunk, new int[0], new int[0]), liveness);
                graph.backlogChunkLinked(chunk.length);
                linked += chunk.length;
            }
            if (!stopped) {
                LOG.info("collection '{}': linked the {} points the saved graph lacked in {} ms", collection, linked,
                        (System.nanoTime() - start) / 1_000_000);
                whenLinked.run();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("collection '{}': linking the points the saved graph lacked failed after {}; searches score the "
                    + "other {} exactly until the next open replays them", collection, linked,
                    graph.unlinked().length, e);
        } finally {
            done.complete(null);
        }
    }

    /** Waits until the backlog is linked, or its linking stopped or failed (it always completes normally). */
    public void awaitLinked() {
        done.join();
    }

    /** Stops linking after the chunk in hand and waits for the thread to end. */
    @Override
    public void close() {
        stopped = true;
        awaitLinked();
    }
}
