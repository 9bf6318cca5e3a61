package dev.vdb.engine.collection;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.PointId;
import dev.vdb.engine.db.CollectionFiles;
import dev.vdb.engine.graph.GraphIndex;
import dev.vdb.engine.graph.GraphMaintenance;
import dev.vdb.engine.idmap.IdMap;
import dev.vdb.engine.idmap.IdMapRecovery;
import dev.vdb.engine.payload.PayloadIndexes;
import dev.vdb.engine.payload.field.FieldIndex;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.recovery.LogReplay;
import dev.vdb.engine.recovery.VectorFileState;
import dev.vdb.engine.search.Scroller;
import dev.vdb.engine.search.SearchExecutor;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.tenant.TenantIndex;
import dev.vdb.engine.text.TextIndex;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.engine.vectors.Requantizer;
import dev.vdb.engine.write.PayloadIndexWriter;
import dev.vdb.engine.write.PointWriter;
import dev.vdb.engine.write.WriteFaults;
import dev.vdb.index.VectorSimilarity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.agrona.collections.IntArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a collection from RocksDB into memory: every vector and live ordinal (on the heap, or for
 * a quantized collection into its memory-mapped file, then encoded into codes), then side by
 * side the id map and the HNSW graph (each on a thread of its own), the payload indexes and the
 * BM25 index (on the loading thread), each derived
 * file verified against what was loaded and repaired or rebuilt. Marks the id map open
 * (unclean) in RocksDB before any write can touch it. The points a saved graph lacks are linked
 * after the load returns, in the background ({@link dev.vdb.engine.graph.BacklogLinker}).
 *
 * <p>Open repairs what the store itself holds wrong: two points stored with one ordinal (which
 * an old write path could leave after a failure) both keep their data; the point the ordinal's
 * {@code 'o'} key names keeps the ordinal and the other gets a new one, with one WARN line.
 *
 * <p>A load that fails releases what it had opened (the graph thread is awaited, the id map's
 * mapped file closed, a started tenant graph build stopped). Stateless; each load allocates the collection's memory.
 */
final class CollectionLoader {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionLoader.class);

    private CollectionLoader() {}

    static LoadedCollection load(String name, CollectionConfig config, PointStore store, CollectionFiles files,
                                 WriteFaults faults) {
        VectorSimilarity similarity = config.distance().similarity();
        LoadedVectors loadedVectors = loadVectors(name, config, store, files);
        CollectionVectors vectors = loadedVectors.vectors();
        LiveOrdinals live = loadedVectors.live();
        long sequence = loadedVectors.sequence();
        String codesRecovery;
        try {
            codesRecovery = vectors.quantize(config.quantization(), live.toArray(), files.codes(),
                    store.states().codesState());
            vectors.dropRetiredWholeNumbers(); // a stored vector is not whole numbers: the graph walks the floats
        } catch (RuntimeException | Error e) {
            vectors.close();
            throw e;
        }
        FutureTask<GraphIndex> graphTask = start("vdb-open-graph-" + name,
                () -> GraphIndex.open(name, files.graph(), store.states().graphState(), vectors, similarity, config.hnsw(), live));
        FutureTask<IdMapRecovery.Opened> idMapTask = start("vdb-open-idmap-" + name,
                () -> IdMapRecovery.openVerified(name, files.idMap(), store.states().idMapState(), live, sequence));
        IdMap idMap = null;
        TenantIndex tenants = null;
        try {
            Loaded<PayloadIndexes> payloadIndexes = loadPayloadIndexes(name, store, files, sequence);
            TextIndex text = TextIndex.open(name, config.text(), store, files.text(), live, sequence);
            IdMapRecovery.Opened opened = await(name, "the id map", idMapTask);
            idMap = opened.map();
            store.states().recordIdMapState(IdMapRecovery.State.open(idMap));
            GraphIndex graph = await(name, "the HNSW graph", graphTask);
            CollectionState state = new CollectionState(live, payloadIndexes.value(), text, idMap, sequence);
            PointWriter writer = new PointWriter(name, similarity, store, vectors, state, files.idMap(), sequence, faults);
            tenants = new TenantIndex(name, vectors, similarity, GraphIndex.params(config.hnsw()), state);
            String tenantField = store.states().tenantField();
            if (tenantField != null && payloadIndexes.value().field(tenantField) != null) {
                tenants.enable(tenantField);
            }
            LoadedCollection loaded = new LoadedCollection(name, store, files, state, writer,
                    new PayloadIndexWriter(name, store, state, writer), tenants,
                    new GraphMaintenance(name, graph, files.graph(), store),
                    new SearchExecutor(name, similarity, vectors, graph, state, store, writer, tenants),
                    new Scroller(state, store), opened.rebuiltBecause(), payloadIndexes.recovery(),
                    loadedVectors.recovery(), codesRecovery, vectors, new Requantizer(name, vectors, writer, state, graph));
            loaded.startLinkingBacklog(faults);
            return loaded;
        } catch (RuntimeException | Error e) {
            for (FutureTask<?> task : List.of(graphTask, idMapTask)) {
                try {
                    await(name, "a derived structure", task);
                } catch (RuntimeException | Error failure) {
                    if (failure != e) { // the task whose failure this is rethrows it again
                        e.addSuppressed(failure);
                    }
                }
            }
            if (tenants != null) {
                tenants.close(); // a started tenant graph build must not outlive the load
            }
            if (idMap == null && idMapTask.state() == Future.State.SUCCESS) {
                idMap = idMapTask.resultNow().map();
            }
            if (idMap != null) {
                idMap.close();
            }
            vectors.close();
            throw e;
        }
    }

    /** The loaded vectors and live ordinals, the last write's sequence, and what was done about the vector file (null: reused as saved). */
    private record LoadedVectors(CollectionVectors vectors, LiveOrdinals live, long sequence, String recovery) {}

    /**
     * The vectors and live ordinals: for a quantized collection whose vector file RocksDB recorded
     * (see {@link CollectionVectors}), the file reopened, the live set read from the ordinal keys
     * and only the vectors the file lacks read from RocksDB; otherwise every stored vector.
     */
    private static LoadedVectors loadVectors(String name, CollectionConfig config, PointStore store, CollectionFiles files) {
        VectorSimilarity similarity = config.distance().similarity();
        String problem = null;
        if (config.quantization() != null) {
            VectorFileState recorded = store.states().vectorFileState();
            if (recorded == null) {
                problem = "no state of it was recorded";
            } else {
                CollectionVectors vectors = null;
                try {
                    vectors = CollectionVectors.reopen(config.dimension(), similarity, files.vectors(), recorded);
                    LiveOrdinals live = new LiveOrdinals();
                    int read = loadPastFile(name, config, store, vectors, live, recorded.vectors());
                    String recovery = read == 0 ? null
                            : "read " + read + " vectors written after the last checkpoint from RocksDB";
                    if (recovery != null) {
                        LOG.info("collection '{}': reused the vector file; {}", name, recovery);
                    }
                    return new LoadedVectors(vectors, live, store.storedWriteSequence(), recovery);
                } catch (IOException e) {
                    problem = "the file " + files.vectors().getFileName() + " is unusable (" + e.getMessage() + ")";
                } catch (StaleFileException e) {
                    problem = "RocksDB disagrees with it (" + e.getMessage() + ")";
                } catch (RuntimeException | Error e) {
                    if (vectors != null) {
                        vectors.close();
                    }
                    throw e;
                }
                if (vectors != null) {
                    vectors.close();
                }
            }
        }
        CollectionVectors vectors = CollectionVectors.create(config.dimension(), similarity, config.quantization(),
                files.vectors());
        try {
            LiveOrdinals live = new LiveOrdinals();
            long sequence = loadVectors(name, config, store, vectors, live, store.storedWriteSequence());
            if (problem != null && live.count() > 0) {
                LOG.warn("collection '{}': the full-precision vector file cannot be reused: {}; rebuilt it from RocksDB ({} points)",
                        name, problem, live.count());
            }
            return new LoadedVectors(vectors, live, sequence, problem == null ? null : "rebuilt: " + problem);
        } catch (RuntimeException | Error e) {
            vectors.close();
            throw e;
        }
    }

    /** RocksDB names a vector the reopened file cannot hold as it is: rebuild it. */
    private static final class StaleFileException extends Exception {
        StaleFileException(String message) {
            super(message, null, false, false);
        }
    }

    private static final int TAIL_BATCH = 1_024;

    /**
     * Fills {@code live} from the ordinal keys, and {@code vectors} (a reopened file trusted below
     * {@code durable}) with the live vectors at or past {@code durable} from RocksDB; returns how
     * many were read.
     */
    private static int loadPastFile(String name, CollectionConfig config, PointStore store, CollectionVectors vectors,
                                    LiveOrdinals live, int durable) throws StaleFileException {
        int next = store.storedNextOrdinal();
        live.advanceNextOrdinal(next);
        List<PointId> tailIds = new ArrayList<>();
        IntArrayList tailOrdinals = new IntArrayList();
        String[] problem = {null};
        store.forEachOrdinal((ordinal, id) -> {
            if (ordinal < 0 || ordinal >= next || live.get(ordinal)) {
                problem[0] = "ordinal " + ordinal + " of point " + id + " is not below the next ordinal " + next
                        + " or named twice";
                return;
            }
            live.add(ordinal, id);
            if (ordinal >= durable) {
                tailIds.add(id);
                tailOrdinals.addInt(ordinal);
            }
        });
        if (problem[0] != null) {
            throw new StaleFileException(problem[0]);
        }
        if (durable > next) {
            throw new StaleFileException("it holds " + durable + " vectors, RocksDB's next ordinal is " + next);
        }
        boolean cosine = config.distance().similarity() == VectorSimilarity.COSINE;
        for (int from = 0; from < tailIds.size(); from += TAIL_BATCH) {
            List<PointId> ids = tailIds.subList(from, Math.min(tailIds.size(), from + TAIL_BATCH));
            List<byte[]> records = store.vectorRecords(ids);
            for (int i = 0; i < ids.size(); i++) {
                byte[] record = records.get(i);
                int ordinal = tailOrdinals.getInt(from + i);
                if (record == null || PointCodec.ordinalOfVectorRecord(record) != ordinal) {
                    throw new StaleFileException("point " + ids.get(i) + " of ordinal " + ordinal + " has "
                            + (record == null ? "no vector record" : "a vector record of ordinal "
                            + PointCodec.ordinalOfVectorRecord(record)));
                }
                float[] vector = PointCodec.vectorOfRecord(record);
                if (vector.length != config.dimension()) {
                    throw new IllegalStateException("collection '" + name + "': stored vector of dimension "
                            + vector.length + " in a collection of dimension " + config.dimension());
                }
                if (cosine) {
                    VectorSimilarity.normalizeInPlace(vector);
                }
                vectors.set(ordinal, vector);
            }
        }
        return tailIds.size();
    }

    /**
     * Loads every stored vector and live ordinal, repairing ordinals two points share; returns
     * the last write's sequence (the repair is a write of its own).
     */
    private static long loadVectors(String name, CollectionConfig config, PointStore store, CollectionVectors vectors,
                                    LiveOrdinals live, long sequence) {
        VectorSimilarity similarity = config.distance().similarity();
        live.advanceNextOrdinal(store.storedNextOrdinal());
        List<PointId> displaced = new ArrayList<>();
        store.forEachVector((id, ordinal, vector) -> {
            if (vector.length != config.dimension()) {
                throw new IllegalStateException("collection '" + name + "': stored vector of dimension "
                        + vector.length + " in a collection of dimension " + config.dimension());
            }
            if (live.get(ordinal)) {
                // two points stored with one ordinal: the one its 'o' key names keeps it
                PointId owner = store.idOfOrdinal(ordinal);
                if (!id.equals(owner)) {
                    displaced.add(id);
                    return;
                }
                displaced.add(live.idOf(ordinal));
                live.remove(ordinal);
            }
            if (similarity == VectorSimilarity.COSINE) {
                VectorSimilarity.normalizeInPlace(vector); // the scan's array, reused: no copy
            }
            vectors.set(ordinal, vector);
            live.add(ordinal, id);
        });
        if (displaced.isEmpty()) {
            return sequence;
        }
        reassign(name, store, vectors, live, displaced, similarity, sequence + 1);
        return sequence + 1;
    }

    private static void reassign(String name, PointStore store, CollectionVectors vectors, LiveOrdinals live,
                                 List<PointId> displaced, VectorSimilarity similarity, long sequence) {
        int next = live.nextOrdinal();
        int[] ordinals = new int[displaced.size()];
        for (int i = 0; i < ordinals.length; i++) {
            ordinals[i] = next++;
        }
        store.reassignOrdinals(displaced, ordinals, next, sequence);
        List<byte[]> records = store.records(displaced);
        for (int i = 0; i < ordinals.length; i++) {
            vectors.set(ordinals[i], similarity.prepare(PointCodec.vectorOfRecord(records.get(2 * i))));
            live.add(ordinals[i], displaced.get(i));
        }
        LOG.warn("collection '{}': {} points shared an ordinal with another point (left by a failed write);"
                + " gave them new ordinals, keeping every point: {}", name, displaced.size(),
                displaced.subList(0, Math.min(5, displaced.size())));
    }

    /**
     * The payload indexes RocksDB defines: from the last saved snapshot when it checks out,
     * brought up to date by replaying the change log after the write it was saved at; else built
     * from the stored payloads in one pass (one log line). Returns them with what was done.
     */
    private static Loaded<PayloadIndexes> loadPayloadIndexes(String name, PointStore store, CollectionFiles files,
                                                             long current) {
        Map<String, PayloadSchema> definitions = PayloadIndexes.decodeDefinitions(store.states().payloadIndexDefinitions());
        if (definitions.isEmpty()) {
            return new Loaded<>(new PayloadIndexes(), null);
        }
        DerivedFiles.FileState state = store.states().payloadIndexState();
        String problem = "no snapshot was saved";
        if (state != null) {
            try {
                PayloadIndexes loaded = PayloadIndexes.load(files.payloadIndexes(), state, definitions);
                if (state.asOf() == current) {
                    return new Loaded<>(loaded, null);
                }
                LogReplay replay = LogReplay.after(store, state.asOf());
                if (replay.covers(state.asOf(), current)) {
                    replay.applyTo(new LogReplay.Target() {
                        @Override
                        public void remove(int ordinal) {
                            loaded.remove(ordinal);
                        }

                        @Override
                        public void add(int ordinal, PointId id, byte[] document) {
                            loaded.add(ordinal, PointCodec.payloadOfDoc(document));
                        }
                    }, store);
                    return new Loaded<>(loaded, "replayed " + replay.entries().size() + " changes from the change log");
                }
                problem = "the change log no longer reaches back to the snapshot";
            } catch (IOException e) {
                problem = "the snapshot " + files.payloadIndexes().getFileName() + " is unusable (" + e.getMessage() + ")";
            }
        }
        PayloadIndexes indexes = new PayloadIndexes();
        definitions.forEach((field, schema) -> indexes.put(FieldIndex.create(field, schema)));
        indexes.addAll(add -> store.forEachDocument((id, ordinal, doc) -> add.accept(ordinal, PointCodec.payloadOfDoc(doc))));
        LOG.warn("collection '{}': {}; built the payload indexes {} from RocksDB", name, problem, definitions.keySet());
        return new Loaded<>(indexes, "rebuilt: " + problem);
    }

    /** A loaded structure and what its load did (null: it was used as saved). */
    record Loaded<T>(T value, String recovery) {}

    /** Runs {@code work} on a thread of its own (the load's structures are built side by side). */
    private static <T> FutureTask<T> start(String threadName, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofPlatform().name(threadName).start(task);
        return task;
    }

    /** What {@code task} built, rethrowing its failure; waits through interrupts (and keeps the flag). */
    private static <T> T await(String name, String what, FutureTask<T> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("collection '" + name + "': opening " + what + " failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
