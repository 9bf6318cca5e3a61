package dev.vdb.engine.vectors;

import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.graph.GraphIndex;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.write.PointWriter;
import dev.vdb.index.FullPrecisionVectors;
import dev.vdb.index.MappedVectorStore;
import dev.vdb.index.VectorStore;
import dev.vdb.index.quant.QuantizedVectors;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a collection's vectors in another representation on a background thread while
 * searches and writes go on, then switches to it atomically: a quantization update, or a
 * retraining once the collection has grown to {@value #RETRAIN_GROWTH} times the vectors its
 * quantizer was trained on (a quantizer trained on the first few vectors would clip the rest).
 *
 * <p>The build trains the quantizer on a sample of the live vectors, starts mirroring every
 * write into the new representation (under the writer lock), copies and encodes the vectors
 * stored before that, then, holding the writer lock and the state's write side, points the
 * graph at the new vectors and makes them current. Searches before the switch use the old
 * representation and those after it the new one; none sees a half-built one.
 *
 * <p>Thread safety: thread-safe; one build runs at a time, and a request made during a build
 * runs after it (the latest request wins). {@link #close} stops a running build and waits for it.
 */
public final class Requantizer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Requantizer.class);
    /** Growth since the last training that triggers a retraining. */
    static final int RETRAIN_GROWTH = 2;
    /** Fewest vectors a retraining is worth starting for. */
    static final int RETRAIN_MIN_VECTORS = 1_000;

    private final String collection;
    private final CollectionVectors vectors;
    private final PointWriter writer;
    private final CollectionState state;
    private final GraphIndex graph;
    private final Object lock = new Object();
    /** What the next build makes; guarded by {@link #lock}. */
    private QuantizationConfig wanted;
    private boolean requested;
    private Thread worker;
    private volatile boolean closed;

    public Requantizer(String collection, CollectionVectors vectors, PointWriter writer, CollectionState state,
                       GraphIndex graph) {
        this.collection = collection;
        this.vectors = vectors;
        this.writer = writer;
        this.state = state;
        this.graph = graph;
    }

    /** Rebuilds the vectors for {@code target} (null: full precision on the heap) in the background. */
    public void request(QuantizationConfig target) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            wanted = target;
            requested = true;
            if (worker == null) {
                worker = Thread.ofPlatform().daemon().name("vdb-quantize-" + collection).start(this::run);
            }
        }
    }

    /** Retrains the quantizer in the background when {@code liveVectors} outgrew what it was trained on. */
    public void retrainIfGrown(int liveVectors) {
        CollectionVectors.Representation r = vectors.current();
        if (r.config() != null && liveVectors >= RETRAIN_MIN_VECTORS
                && liveVectors >= (long) RETRAIN_GROWTH * r.trainedOn()) {
            synchronized (lock) {
                if (!requested && worker == null) {
                    request(r.config());
                }
            }
        }
    }

    /** Waits until no build runs or is requested; true unless {@code millis} passed first. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (lock) {
            while (worker != null) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }

    private void run() {
        while (true) {
            QuantizationConfig target;
            synchronized (lock) {
                if (!requested || closed) {
                    worker = null;
                    lock.notifyAll();
                    return;
                }
                target = wanted;
                requested = false;
            }
            try {
                build(target);
            } catch (RuntimeException | Error e) {
                LOG.error("collection '{}': building the vectors for quantization {} failed; searches keep the old ones",
                        collection, target, e);
            }
        }
    }

    private void build(QuantizationConfig target) {
        CollectionVectors.Representation from = vectors.current();
        int[] sample = state.read(() -> state.live().toArray());
        FullPrecisionVectors full = from.full();
        if (target == null && !(full instanceof VectorStore)) {
            full = VectorStore.scoredWith(vectors.dimension(), vectors.similarity());
        } else if (target != null && !(full instanceof MappedVectorStore)) {
            full = MappedVectorStore.create(vectors.mappedFile(), vectors.dimension());
        }
        CollectionVectors.Representation next;
        if (target == null) {
            next = full == from.full() ? from
                    : CollectionVectors.Representation.unquantized((VectorStore) full, vectors.similarity());
        } else {
            QuantizedVectors codes = new QuantizedVectors(vectors.train(from.full(), target, sample));
            next = new CollectionVectors.Representation(full, codes, target, sample.length, null);
        }
        int stored = writer.whileNoWriteRuns(() -> vectors.startPending(next));
        boolean copied = copy(from.full(), next, stored);
        if (!copied) {
            writer.whileNoWriteRuns(() -> {
                vectors.dropPending();
                return null;
            });
            if (full != from.full() && full instanceof MappedVectorStore mapped) {
                mapped.closeAndDelete();
            }
            return;
        }
        CollectionVectors.Representation old = writer.whileNoWriteRuns(() -> {
            CollectionVectors.Representation[] replaced = new CollectionVectors.Representation[1];
            state.publish(() -> {
                graph.useVectors(next.graphVectors(), next.insertVectors());
                replaced[0] = vectors.publishPending();
            });
            return replaced[0];
        });
        if (old.full() != next.full() && old.full() instanceof MappedVectorStore mapped) {
            // no search runs on it: they hold the state's read side, the switch held the write side; a
            // state RocksDB still records for it names a generation no later file will have
            mapped.closeAndDelete();
        }
        LOG.info("collection '{}': {} vectors now {}", collection, stored,
                target == null ? "unquantized" : "quantized as " + Objects.requireNonNull(next.codes()).quantizer());
    }

    /** Copies ordinals below {@code count} from {@code source} into {@code next}; false when closed meanwhile. */
    private boolean copy(FullPrecisionVectors source, CollectionVectors.Representation next, int count) {
        if (next.full() != source) {
            next.full().reserve(count);
            float[] v = new float[source.dimension()];
            for (int ordinal = 0; ordinal < count; ordinal++) {
                if ((ordinal & 1023) == 0 && closed) {
                    return false;
                }
                source.read(ordinal, v);
                next.setFull(ordinal, v);
            }
        }
        return next.codes() == null || CollectionVectors.encodeAll(source, next.codes(), 0, count, () -> closed);
    }

    /**
     * Points the graph at the float store itself once a stored vector retired the whole-number
     * codes, so searches no longer pass through their scorer; nothing to do (a volatile read)
     * otherwise. After a write, outside the writer lock.
     */
    public void dropRetiredWholeNumbers() {
        if (!vectors.hasRetiredWholeNumbers()) {
            return;
        }
        writer.whileNoWriteRuns(() -> {
            state.publish(() -> {
                if (vectors.hasRetiredWholeNumbers()) {
                    CollectionVectors.Representation floats = vectors.dropRetiredWholeNumbers();
                    graph.useVectors(floats.graphVectors(), floats.insertVectors());
                }
            });
            return null;
        });
    }

    /** Stops a running build (its half-built vectors are dropped) and waits for it. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            running = worker;
        }
        if (running != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    running.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
