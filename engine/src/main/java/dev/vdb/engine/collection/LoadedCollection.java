package dev.vdb.engine.collection;

import dev.vdb.engine.CollectionDiagnostics;
import dev.vdb.engine.CollectionMemory;
import dev.vdb.engine.db.CollectionFiles;
import dev.vdb.engine.graph.BacklogLinker;
import dev.vdb.engine.graph.GraphIndex;
import dev.vdb.engine.graph.GraphMaintenance;
import dev.vdb.engine.idmap.IdMap;
import dev.vdb.engine.idmap.IdMapRecovery;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.recovery.VectorFileState;
import dev.vdb.engine.search.Scroller;
import dev.vdb.engine.search.SearchExecutor;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.tenant.TenantIndex;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.vectors.CollectionVectors;
import dev.vdb.engine.vectors.Requantizer;
import dev.vdb.engine.write.WriteFaults;
import dev.vdb.engine.write.PayloadIndexWriter;
import dev.vdb.engine.write.PointWriter;
import dev.vdb.index.FullPrecisionVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a collection holds in memory once loaded from RocksDB, wired together: the published
 * state, the write path, graph maintenance, searches and scrolls, and what the load found. A
 * {@link RocksCollection} holds one at a time and replaces it when it must reload.
 *
 * <p>Thread safety: that of its parts; {@link #saveAndRelease} and {@link #release} run while no
 * call uses it (the collection's {@link CallGuard} held exclusively).
 */
final class LoadedCollection {

    private static final Logger LOG = LoggerFactory.getLogger(LoadedCollection.class);

    final CollectionState state;
    final PointWriter writer;
    final PayloadIndexWriter payloadIndexWriter;
    final TenantIndex tenants;
    final GraphMaintenance graph;
    final SearchExecutor searches;
    final Scroller scroller;
    private final String name;
    private final PointStore store;
    private final CollectionFiles files;
    private final String idMapRecovery;
    private final String payloadIndexRecovery;
    private final String vectorFileRecovery;
    private final String codesRecovery;
    final CollectionVectors vectors;
    final Requantizer requantizer;
    private BacklogLinker backlog;

    LoadedCollection(String name, PointStore store, CollectionFiles files, CollectionState state, PointWriter writer,
                     PayloadIndexWriter payloadIndexWriter, TenantIndex tenants, GraphMaintenance graph,
                     SearchExecutor searches, Scroller scroller, String idMapRecovery, String payloadIndexRecovery,
                     String vectorFileRecovery, String codesRecovery, CollectionVectors vectors,
                     Requantizer requantizer) {
        this.vectorFileRecovery = vectorFileRecovery;
        this.codesRecovery = codesRecovery;
        this.vectors = vectors;
        this.requantizer = requantizer;
        this.payloadIndexRecovery = payloadIndexRecovery;
        this.name = name;
        this.store = store;
        this.files = files;
        this.state = state;
        this.writer = writer;
        this.payloadIndexWriter = payloadIndexWriter;
        this.tenants = tenants;
        this.graph = graph;
        this.searches = searches;
        this.scroller = scroller;
        this.idMapRecovery = idMapRecovery;
    }

    /** Starts linking the points the saved graph lacked (searches score them exactly meanwhile). */
    void startLinkingBacklog(WriteFaults faults) {
        backlog = BacklogLinker.start(name, graph, this::notLive, faults, this::checkpointIfDue);
    }

    /** Which of {@code ordinals} are not live at the published state. */
    int[] notLive(int[] ordinals) {
        return state.read(() -> Arrays.stream(ordinals).filter(o -> !state.live().get(o)).toArray());
    }

    CollectionDiagnostics diagnostics() {
        return new CollectionDiagnostics(graph.graph().repairedBecause(), idMapRecovery,
                state.text().rebuiltBecause(), payloadIndexRecovery, vectorFileRecovery, codesRecovery,
                searches.distanceComputations(),
                state.text().documents(), tenants.building());
    }

    /**
     * Heap held by the vectors (or codes), the graph and the ordinal-to-id table, the
     * full-precision vectors' mapped bytes, and the derived files' bytes on disk.
     */
    CollectionMemory memory() {
        CollectionVectors.Representation r = vectors.current();
        long heap = r.full().heapBytes() + (r.codes() == null ? 0 : r.codes().heapBytes())
                + (r.wholeNumbers() == null ? 0 : r.wholeNumbers().codeHeapBytes()) + graph.graph().memoryBytes()
                + state.read(() -> state.live().heapBytes());
        long disk = 0;
        for (Path file : new Path[] {files.graph(), files.text(), files.payloadIndexes(),
                files.idMap(), files.vectors(), files.codes()}) {
            disk += sizeOf(file);
        }
        return new CollectionMemory(heap, r.full().mappedBytes(), disk);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0; // deleted meanwhile
        }
    }

    /**
     * Checks that memory and the derived structures agree with RocksDB, with no write running:
     * every stored point is live at its stored ordinal with its id and its vector (on the heap or
     * in the mapped file) is the stored one, the id map maps it there, nothing else is live or mapped, the graph holds exactly the live ordinals, and each built
     * tenant graph exactly its tenant's postings. Returns the
     * problems found (at most {@value #MAX_PROBLEMS}), none when all agree.
     */
    List<String> verify() {
        backlog.awaitLinked();
        return writer.whileNoWriteRuns(() -> state.read(() -> {
            List<String> problems = new ArrayList<>();
            LiveOrdinals live = state.live();
            IdMap idMap = state.idMap();
            GraphIndex index = graph.graph();
            long[] stored = {0};
            FullPrecisionVectors full = vectors.full();
            float[] held = new float[vectors.dimension()];
            store.forEachVector((id, ordinal, vector) -> {
                stored[0]++;
                if (ordinal < full.size() && vector.length == held.length) {
                    full.read(ordinal, held);
                    if (!Arrays.equals(held, vectors.similarity().prepare(vector))) {
                        note(problems, "the vector of point " + id + " (ordinal " + ordinal + ") in memory or the"
                                + " vector file differs from RocksDB's");
                    }
                }
                if (!live.get(ordinal) || !id.equals(live.idOf(ordinal))) {
                    note(problems, "point " + id + " is stored with ordinal " + ordinal + ", which the live set gives to "
                            + (live.get(ordinal) ? live.idOf(ordinal) : "no point"));
                }
                int mapped = idMap.get(PointCodec.idBytes(id));
                if (mapped != ordinal) {
                    note(problems, "the id map maps point " + id + " to " + mapped + ", RocksDB to " + ordinal);
                }
                if (!index.contains(ordinal)) {
                    note(problems, "the graph lacks point " + id + " (ordinal " + ordinal + ")");
                }
            });
            if (stored[0] != live.count()) {
                note(problems, "RocksDB stores " + stored[0] + " points, the live set holds " + live.count());
            }
            if (idMap.size() != stored[0]) {
                note(problems, "the id map holds " + idMap.size() + " ids, RocksDB " + stored[0] + " points");
            }
            if (index.size() != live.count()) {
                note(problems, "the graph holds " + index.size() + " live nodes, the live set " + live.count());
            }
            List<String> tenantProblems = new ArrayList<>();
            tenants.verify(tenantProblems);
            tenantProblems.forEach(problem -> note(problems, problem));
            return problems;
        }));
    }

    private static final int MAX_PROBLEMS = 100;

    private static void note(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }

    /**
     * Saves a checkpoint when enough has changed since the last: see {@link #saveDerivedState}.
     * Runs on a writing thread after its write (and once the backlog is linked); one at a time
     * (others skip); failures are logged
     * (the next checkpoint or the close retries).
     */
    void checkpointIfDue() {
        if (!graph.checkpointDue() || !checkpointLock.tryLock()) {
            return;
        }
        try {
            if (graph.checkpointDue() && graph.trySave()) {
                saveDerivedState(false);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("collection '{}': saving a checkpoint failed; the next one or close retries", name, e);
        } finally {
            checkpointLock.unlock();
        }
    }

    private final ReentrantLock checkpointLock = new ReentrantLock();

    /** The lock a checkpoint holds while it rewrites the derived files (a snapshot holds it to copy them). */
    ReentrantLock checkpointLock() {
        return checkpointLock;
    }

    /**
     * Syncs a quantized collection's full-precision vector file and records how many of its
     * vectors are durable (see {@link CollectionVectors}); saves the BM25 and payload-index
     * snapshots of one published write (taken under the state read lock, written outside it) and
     * records them, with the id map's state, in RocksDB; then truncates the change log up to what
     * every saved structure holds. On open each is brought up to date from the rest of the log.
     * With {@code closing}, the id map is closed cleanly.
     */
    private void saveDerivedState(boolean closing) throws IOException {
        // the next ordinal while no write runs: every vector below it is written for good
        int written = writer.whileNoWriteRuns(() -> state.live().nextOrdinal());
        VectorFileState vectorFile = vectors.syncFile(written);
        if (vectorFile != null) {
            store.states().recordVectorFileState(vectorFile);
        }
        saveCodes(written);
        record Snapshot(long asOf, byte[] text, byte[] payloadIndexes) {}
        Snapshot snapshot = state.read(() -> new Snapshot(state.publishedSequence(), state.text().snapshot(),
                state.payloadIndexes().isEmpty() ? null : state.payloadIndexes().snapshot()));
        store.states().recordTextIndexState(DerivedFiles.commit(files.text(), out -> out.write(snapshot.text()), snapshot.asOf()));
        if (snapshot.payloadIndexes() != null) {
            store.states().recordPayloadIndexState(DerivedFiles.commit(files.payloadIndexes(),
                    out -> out.write(snapshot.payloadIndexes()), snapshot.asOf()));
        }
        // closing: no call runs, so the id map holds every write up to the snapshot's
        store.states().recordIdMapState(closing ? IdMapRecovery.closeClean(state.idMap(), snapshot.asOf())
                : IdMapRecovery.State.open(state.idMap()));
        store.truncateLog(snapshot.asOf());
    }

    /**
     * Saves the codes of the ordinals below {@code written} when they changed (after the vector
     * file they were encoded from is recorded: a codes state never names a vector file RocksDB
     * does not), or forgets the saved codes of a collection that is no longer quantized.
     */
    private void saveCodes(int written) throws IOException {
        DerivedFiles.FileState codes = vectors.saveCodes(files.codes(), written);
        if (codes != null) {
            store.states().recordCodesState(codes);
        } else if (vectors.codes() == null && store.states().codesState() != null) {
            store.states().recordCodesState(null);
            Files.deleteIfExists(files.codes());
        }
    }

    /**
     * Saves the derived state (graph, BM25 and payload-index snapshots, id map) and records a
     * clean close in RocksDB, then releases the id map's mapped file. Runs when no call does.
     * Failures are logged: the files are brought up to date or rebuilt on the next open.
     */
    void saveAndRelease() {
        backlog.close(); // first: no graph change may overlap the save
        tenants.close(); // a tenant graph build must not outlive the vectors it reads
        try {
            graph.save();
            saveDerivedState(true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("collection '{}': saving derived state on close failed; it will be recovered from RocksDB on open",
                    name, e);
        } finally {
            // also when RocksDB refused the above (a full disk): without a recorded clean close the
            // next open recovers or rebuilds the file (close is idempotent)
            state.idMap().close();
            releaseVectors();
        }
    }

    /** Stops a background quantization build and unmaps the full-precision vectors. */
    private void releaseVectors() {
        requantizer.close();
        vectors.close();
    }

    /** Releases what this load holds without saving anything (a reload after a failed write). */
    void release() {
        backlog.close();
        tenants.close();
        state.idMap().close();
        releaseVectors();
    }
}
