package dev.vdb.cluster.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.cluster.LocalState;
import dev.vdb.cluster.ReloadableStateMachine;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import java.io.File;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of one shard: applies the shard's committed log entries ({@link ShardWrite}) in
 * order to a local collection and answers reads ({@link ShardRead}) from it.
 *
 * <p>Exactly-once application: after each entry the group's applied mark is written
 * ({@link LocalState}, a synced write to the same RocksDB), and on restart entries up to the
 * mark are skipped. A crash between an entry's write and its mark re-applies that one entry,
 * which is harmless because every shard write is idempotent on its own result.
 *
 * <p>Snapshots are the collection's points exported to a file ({@link ShardSnapshotFile});
 * Ratis sends that file to a replica that lags behind the leader's purged log, which loads it
 * ({@link #reinitialize}) and replays the rest of the log. A load is marked before it starts,
 * so a crash in the middle restarts it.
 *
 * <p>Thread safety: Ratis applies entries on one thread per group; reads run concurrently on
 * other threads against the engine's thread-safe collection.
 */
public final class ShardStateMachine extends ReloadableStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(ShardStateMachine.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final VectorDb db;
    private final LocalState local;
    private final String localName;
    private final CollectionConfig config;
    private final String key;
    private volatile VectorCollection collection;
    private final AtomicInteger snapshotsLoaded = new AtomicInteger();

    public ShardStateMachine(VectorDb db, LocalState local, String localName, CollectionConfig config) {
        this.db = db;
        this.local = local;
        this.localName = localName;
        this.config = config;
        this.key = localName;
    }

    @Override
    protected void start() throws IOException {
        collection = db.createCollection(localName, config);
        var pending = local.loading(key);
        if (pending.isPresent()) {
            LOG.warn("{}: a snapshot load at index {} was cut short; loading it again", localName, pending.get().getIndex());
            loadLatestSnapshot();
        }
        TermIndex applied = local.applied(key);
        if (applied != null) {
            updateLastAppliedTermIndex(applied);
        }
    }

    /** Snapshots this replica loaded since it started (a lagging replica's catch-up; reported by the Info read). */
    public int snapshotsLoaded() {
        return snapshotsLoaded.get();
    }

    /** The local collection this replica applies to. */
    public VectorCollection collection() {
        return collection;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex ti = TermIndex.valueOf(entry);
        if (alreadyApplied(ti)) {
            return CompletableFuture.completedFuture(Message.valueOf("{\"skipped\":true}"));
        }
        JsonNode result;
        try {
            ShardWrite write = ShardWrite.decode(MAPPER.readTree(entry.getStateMachineLogEntry().getLogData().newInput()));
            long n = write.applyTo(collection);
            result = JsonNodeFactory.instance.objectNode().put("count", n).put("index", ti.getIndex());
        } catch (IllegalArgumentException e) {
            // The engine refused the whole write before changing anything, as it does on every replica.
            result = JsonNodeFactory.instance.objectNode().put("error", e.getMessage()).put("index", ti.getIndex());
        } catch (IOException e) {
            throw new IllegalStateException(localName + ": log entry " + ti + " is not a shard write", e);
        }
        local.markApplied(key, ti);
        updateLastAppliedTermIndex(ti);
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFromUtf8(result.toString())));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            ShardRead read = ShardRead.decode(MAPPER.readTree(request.getContent().newInput()));
            JsonNode answer = read.runOn(collection);
            if (read instanceof ShardRead.Info && answer instanceof ObjectNode info) {
                var division = getServer().join().getDivision(getGroupId());
                TermIndex applied = getLastAppliedTermIndex();
                info.put("role", division.getInfo().getCurrentRole().name().toLowerCase(Locale.ROOT))
                        .put("leader", String.valueOf(division.getInfo().getLeaderId()))
                        .put("applied_index", applied == null ? 0 : applied.getIndex())
                        .put("snapshots_loaded", snapshotsLoaded.get());
            }
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFromUtf8(answer.toString())));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = snapshotPoint();
        if (last == null) {
            return -1;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        ShardSnapshotFile.write(collection, last.getIndex(), file.toPath());
        publishSnapshot(file, last);
        LOG.info("{}: snapshot at {} ({} points)", localName, last, collection.count());
        return last.getIndex();
    }

    @Override
    protected void loadInstalledSnapshot() throws IOException {
        storage.loadLatestSnapshot();
        loadLatestSnapshot();
    }

    private void loadLatestSnapshot() throws IOException {
        SingleFileSnapshotInfo snap = storage.getLatestSnapshot();
        if (snap == null) {
            throw new IOException(localName + ": no snapshot to load in " + storage.getSnapshotDir());
        }
        TermIndex ti = snap.getTermIndex();
        local.markLoading(key, ti);
        db.dropCollection(localName);
        VectorCollection fresh = db.createCollection(localName, config);
        ShardSnapshotFile.load(snap.getFile().getPath(), fresh);
        collection = fresh;
        local.finishLoading(key, ti);
        setLastAppliedTermIndex(ti);
        snapshotsLoaded.incrementAndGet();
        LOG.info("{}: loaded the snapshot at {} ({} points)", localName, ti, fresh.count());
    }
}
