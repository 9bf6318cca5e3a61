package dev.vdb.engine.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.graph.GraphChange;
import dev.vdb.engine.idmap.IdMap;
import dev.vdb.engine.idmap.IdMapRecovery;
import dev.vdb.engine.payload.FilterResolver;
import dev.vdb.engine.payload.PayloadValues;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.index.Deadline;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.text.AnalyzedText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection's write path: assigns ordinals, writes one RocksDB batch and publishes it, for
 * upserts and deletes. Writers serialise on one lock.
 *
 * <p>A write cannot half-apply. Everything that can fail for want of memory or room runs before
 * the RocksDB commit: ordinals are reserved ({@link LiveOrdinals#reserve}, so a failed write never
 * hands them out twice), memory for the new vectors and live entries is allocated, new vectors
 * are stored in slots no search can see yet, payload trees are built, and the id map grows when
 * the batch would not fit it. A failure there stores nothing. After the commit only in-memory
 * bookkeeping remains; should it fail all the same, the write throws
 * {@link CommittedWriteException} and the collection reloads from RocksDB, which has the write.
 *
 * <p>Ids resolve to ordinals through the id map, RocksDB's image; each answer is checked against
 * the live set's ordinal → id array (cheap), and a disagreement (a bug) falls back to RocksDB.
 *
 * <p>Thread safety: every method takes the writer lock; callers must not hold the collection's
 * state lock. Allocates per batch.
 */
public final class PointWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PointWriter.class);

    private final String collection;
    private final VectorSimilarity similarity;
    private final PointStore store;
    private final CollectionVectors vectors;
    private final CollectionState state;
    private final WriteFaults faults;
    /** The id map's first file: later generations lie beside it. */
    private final Path idMapBase;
    private final ReentrantLock lock = new ReentrantLock();
    /** The sequence of the last write stored (its change-log record's); under the writer lock. */
    private long sequence;

    public PointWriter(String collection, VectorSimilarity similarity, PointStore store, CollectionVectors vectors,
                       CollectionState state, Path idMapBase, long sequence, WriteFaults faults) {
        this.sequence = sequence;
        this.idMapBase = idMapBase;
        this.collection = collection;
        this.similarity = similarity;
        this.store = store;
        this.vectors = vectors;
        this.state = state;
        this.faults = faults;
    }

    /** Runs {@code action} while no write runs (the writer lock held). */
    public <T> T whileNoWriteRuns(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes and publishes a batch of distinct points; {@code texts[i]} is point i's analysed
     * text (null: none). Returns what the graph must link and unlink.
     */
    public GraphChange upsert(List<Point> batch, AnalyzedText[] texts) {
        return whileNoWriteRuns(() -> writeUpserts(batch, texts));
    }

    /** What a {@link #rewrite} did: the points it rewrote, and the graph's part. */
    public record Rewritten(int points, GraphChange graphChange) {}

    /**
     * Reads the existing points among {@code ids} (resolved under the writer lock), lets
     * {@code change} rewrite each and writes the results as one upsert, with no other write in
     * between; {@code analyser} gives the rewritten points' texts.
     *
     * @param check sees the points found before anything is written, and may refuse by throwing
     */
    public Rewritten rewrite(Supplier<List<PointId>> ids, UnaryOperator<Point> change, Consumer<List<Point>> check,
                             Function<List<Point>, AnalyzedText[]> analyser) {
        return whileNoWriteRuns(() -> {
            List<PointId> selected = ids.get();
            List<Point> found = selected.isEmpty() ? List.of() : store.read(selected);
            check.accept(found);
            if (found.isEmpty()) {
                return new Rewritten(0, GraphChange.NONE);
            }
            List<Point> batch = found.stream().map(change).toList();
            return new Rewritten(batch.size(), writeUpserts(batch, analyser.apply(batch)));
        });
    }

    /** The ids of the live points {@code filter} matches at the published state; for {@link #rewrite}. */
    public List<PointId> matchingIds(Filter filter, FilterResolver.PayloadReader payloads) {
        return state.read(() -> {
            int[] matches = state.resolver(payloads).resolve(filter).toArray();
            List<PointId> ids = new ArrayList<>(matches.length);
            for (int ordinal : matches) {
                ids.add(state.live().idOf(ordinal));
            }
            return ids;
        });
    }

    /** Deletes the points among {@code ids} (encoded, distinct); returns the ordinals that were live. */
    public int[] delete(byte[][] ids) {
        return whileNoWriteRuns(() -> writeDeletes(ids));
    }

    /**
     * Deletes every live point {@code filter} matches, resolved with no write in between; returns
     * the ordinals that were live. Resolving stops at {@code deadline}, before anything is deleted.
     */
    public int[] deleteMatching(Filter filter, FilterResolver.PayloadReader payloads, Deadline deadline) {
        return whileNoWriteRuns(() -> {
            byte[][] ids = state.read(() -> {
                int[] matches = state.resolver(payloads, deadline).resolve(filter).toArray();
                byte[][] out = new byte[matches.length][];
                for (int i = 0; i < matches.length; i++) {
                    out[i] = PointCodec.idBytes(state.live().idOf(matches[i]));
                }
                return out;
            });
            return ids.length == 0 ? new int[0] : writeDeletes(ids);
        });
    }

    /*
     * A batch's write, step by step. Each loop over the batch sits in a method of its own: a bulk
     * load calls this seldom with long batches, so the JIT compiles the loops on their own (on-stack
     * replacement), and one method holding them all was compiled three times over, 0.7 s of C2 in
     * a fresh JVM's first load of GloVe.
     */
    private GraphChange writeUpserts(List<Point> batch, AnalyzedText[] texts) {
        int n = batch.size();
        LiveOrdinals live = state.live();
        byte[][] ids = idBytes(batch);
        int[] oldOrdinals = ordinalsOf(batch, ids);
        float[][] prepared = prepared(batch);
        int nextBefore = live.nextOrdinal();
        if (nextBefore > Integer.MAX_VALUE - n) {
            throw new IllegalStateException("collection '" + collection + "' has used up its " + Integer.MAX_VALUE
                    + " ordinals (every vector change takes one); copy its points into a new collection");
        }
        int[] newOrdinals = assignOrdinals(oldOrdinals, prepared, nextBefore);
        int next = nextBefore + freshCount(oldOrdinals, newOrdinals);

        // Before the commit: whatever fails here leaves RocksDB and every published structure as they were.
        live.reserve(next);
        faults.at(WriteStep.PREPARE);
        vectors.reserve(next);
        stageVectors(prepared, oldOrdinals, newOrdinals); // unpublished slots: no search reads them yet
        ObjectNode[] payloadTrees = payloadTrees(batch);
        ensureIdMapRoom(ids, oldOrdinals);

        faults.at(WriteStep.COMMIT);
        long seq = sequence + 1;
        store.writeUpserts(batch, ids, oldOrdinals, newOrdinals, next, next != nextBefore, seq);
        sequence = seq;
        try {
            faults.at(WriteStep.PUBLISH);
            state.publish(() -> {
                state.markPublished(seq);
                publishPoints(batch, oldOrdinals, newOrdinals, payloadTrees);
                state.text().apply(texts, oldOrdinals, newOrdinals);
            });
            faults.at(WriteStep.ID_MAP);
            putIds(ids, oldOrdinals, newOrdinals);
        } catch (RuntimeException | Error e) {
            throw new CommittedWriteException(collection, e, n);
        }
        return GraphChange.ofUpsert(oldOrdinals, newOrdinals);
    }

    private static byte[][] idBytes(List<Point> batch) {
        byte[][] ids = new byte[batch.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = PointCodec.idBytes(batch.get(i).id());
        }
        return ids;
    }

    private float[][] prepared(List<Point> batch) {
        float[][] prepared = new float[batch.size()][];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = similarity.prepare(batch.get(i).vector());
        }
        return prepared;
    }

    /** Each point's ordinal: its old one when it keeps its stored vector, else the next fresh one from {@code next}. */
    private int[] assignOrdinals(int[] oldOrdinals, float[][] prepared, int next) {
        int[] ordinals = new int[oldOrdinals.length];
        for (int i = 0; i < ordinals.length; i++) {
            boolean keepsVector = oldOrdinals[i] >= 0 && sameStoredVector(oldOrdinals[i], prepared[i]);
            ordinals[i] = keepsVector ? oldOrdinals[i] : next++;
        }
        return ordinals;
    }

    /** Points that took a fresh ordinal (a new id, or a changed vector). */
    private static int freshCount(int[] oldOrdinals, int[] newOrdinals) {
        int fresh = 0;
        for (int i = 0; i < newOrdinals.length; i++) {
            fresh += newOrdinals[i] != oldOrdinals[i] ? 1 : 0;
        }
        return fresh;
    }

    private void stageVectors(float[][] prepared, int[] oldOrdinals, int[] newOrdinals) {
        for (int i = 0; i < prepared.length; i++) {
            if (newOrdinals[i] != oldOrdinals[i]) {
                vectors.set(newOrdinals[i], prepared[i]);
            }
        }
    }

    /** The batch into the live set and the payload indexes; under the state's write side. */
    private void publishPoints(List<Point> batch, int[] oldOrdinals, int[] newOrdinals, ObjectNode[] payloadTrees) {
        LiveOrdinals live = state.live();
        for (int i = 0; i < newOrdinals.length; i++) {
            if (newOrdinals[i] != oldOrdinals[i]) {
                if (oldOrdinals[i] >= 0) {
                    live.remove(oldOrdinals[i]);
                }
                live.add(newOrdinals[i], batch.get(i).id());
            }
            if (payloadTrees != null) {
                if (oldOrdinals[i] >= 0) {
                    state.payloadIndexes().remove(oldOrdinals[i]);
                }
                state.payloadIndexes().add(newOrdinals[i], payloadTrees[i]);
            }
        }
    }

    private void putIds(byte[][] ids, int[] oldOrdinals, int[] newOrdinals) {
        IdMap idMap = state.idMap();
        for (int i = 0; i < ids.length; i++) {
            if (newOrdinals[i] != oldOrdinals[i]) {
                idMap.put(ids[i], newOrdinals[i]);
            }
        }
    }

    private int[] writeDeletes(byte[][] ids) {
        int[] ordinals = ordinalsOf(null, ids);
        int[] removed = Arrays.stream(ordinals).filter(o -> o >= 0).toArray();
        if (removed.length == 0) {
            return removed;
        }
        faults.at(WriteStep.COMMIT);
        long seq = sequence + 1;
        store.writeDeletes(ids, ordinals, seq);
        sequence = seq;
        try {
            faults.at(WriteStep.PUBLISH);
            state.publish(() -> {
                state.markPublished(seq);
                for (int ordinal : removed) {
                    state.live().remove(ordinal);
                    state.payloadIndexes().remove(ordinal);
                }
                state.text().delete(removed);
            });
            faults.at(WriteStep.ID_MAP);
            for (int i = 0; i < ids.length; i++) {
                if (ordinals[i] >= 0) {
                    state.idMap().remove(ids[i]);
                }
            }
        } catch (RuntimeException | Error e) {
            throw new CommittedWriteException(collection, e, removed.length);
        }
        return removed;
    }

    /**
     * The live ordinal of each id (-1 when absent), through the id map; an answer the live set
     * contradicts is a bug, logged, and then the ordinals come from RocksDB.
     */
    private int[] ordinalsOf(List<Point> points, byte[][] ids) {
        IdMap idMap = state.idMap();
        LiveOrdinals live = state.live();
        int[] ordinals = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            int ordinal = idMap.get(ids[i]);
            if (ordinal >= 0 && (!live.get(ordinal) || !Arrays.equals(PointCodec.idBytes(live.idOf(ordinal)), ids[i]))) {
                LOG.error("collection '{}': the id map maps {} to ordinal {}, which the live set gives to {};"
                        + " resolving the batch through RocksDB", collection, PointCodec.id(ids[i], 0), ordinal,
                        live.idOf(ordinal));
                return store.ordinalsOf(ids);
            }
            ordinals[i] = ordinal;
        }
        return ordinals;
    }

    private boolean sameStoredVector(int ordinal, float[] prepared) {
        float[] stored = new float[prepared.length];
        vectors.full().read(ordinal, stored);
        return Arrays.equals(prepared, stored);
    }

    /** Each point's payload as a tree for the payload indexes, or null when there are none. */
    private ObjectNode[] payloadTrees(List<Point> batch) {
        if (state.payloadIndexes().isEmpty()) {
            return null;
        }
        ObjectNode[] trees = new ObjectNode[batch.size()];
        for (int i = 0; i < trees.length; i++) {
            trees[i] = PayloadValues.toTree(batch.get(i).payload());
        }
        return trees;
    }

    /**
     * Grows the id map before the commit when the batch's new ids would not fit it: the new map
     * is built beside the old one (searches keep using the old), swapped in, and the old closed.
     */
    private void ensureIdMapRoom(byte[][] ids, int[] oldOrdinals) {
        int newIds = 0;
        long newIdBytes = 0;
        for (int i = 0; i < ids.length; i++) {
            if (oldOrdinals[i] < 0) {
                newIds++;
                newIdBytes += ids[i].length;
            }
        }
        IdMap current = state.idMap();
        if (current.hasRoomFor(newIds, newIdBytes)) {
            return;
        }
        faults.at(WriteStep.GROW_ID_MAP);
        IdMap grown = IdMapRecovery.grown(idMapBase, current, state.live(), newIds, newIdBytes);
        try {
            store.states().recordIdMapState(IdMapRecovery.State.open(grown));
        } catch (RuntimeException e) {
            grown.close();
            throw e;
        }
        state.replaceIdMap(grown).close();
        try {
            Files.deleteIfExists(current.file());
        } catch (IOException e) {
            LOG.warn("collection '{}': deleting the id map's previous file failed; the next open deletes it", collection, e);
        }
        LOG.info("collection '{}': id map grown to {} ids ({} bytes per id)", collection, grown.capacity(),
                Math.round(grown.averageKeyBytes()));
    }
}
