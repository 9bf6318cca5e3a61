package dev.vdb.cluster.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.cluster.CollectionSpec;
import dev.vdb.cluster.LocalState;
import dev.vdb.cluster.ReloadableStateMachine;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The cluster catalog, replicated on every node by one Raft group: which clustered collections
 * exist, with their config, shard number and replication factor. Applying a creation or a drop
 * tells the {@link CatalogListener}, which hosts or drops this node's shards; the catalog and
 * its applied mark are kept in {@link LocalState} (skipped on replay up to the mark, as the
 * shards do). Its snapshot is the catalog as a JSON file.
 *
 * <p>Thread safety: applied on Ratis' one apply thread; {@link #specs()} and {@link #spec} read
 * a concurrent map from any thread.
 */
public final class CatalogStateMachine extends ReloadableStateMachine {

    static final String KEY = "catalog";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LocalState local;
    private final CatalogListener listener;
    private final Map<String, CollectionSpec> specs = new ConcurrentHashMap<>();

    public CatalogStateMachine(LocalState local, CatalogListener listener) {
        this.local = local;
        this.listener = listener;
        local.specs().forEach(s -> specs.put(s.name(), s));
    }

    /** A creation to propose: the spec (its creation index is set when applied). */
    public static Message create(CollectionSpec spec) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("op", "create");
        o.set("spec", spec.toJson());
        return Message.valueOf(ByteString.copyFromUtf8(o.toString()));
    }

    public static Message drop(String name) {
        return Message.valueOf(ByteString.copyFromUtf8(
                JsonNodeFactory.instance.objectNode().put("op", "drop").put("name", name).toString()));
    }

    public List<CollectionSpec> specs() {
        return new ArrayList<>(specs.values());
    }

    public Optional<CollectionSpec> spec(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    @Override
    protected void start() throws IOException {
        TermIndex applied = local.applied(KEY);
        if (applied != null) {
            updateLastAppliedTermIndex(applied);
        }
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex ti = TermIndex.valueOf(entry);
        if (alreadyApplied(ti)) {
            return CompletableFuture.completedFuture(Message.valueOf("{\"skipped\":true}"));
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        try {
            JsonNode op = MAPPER.readTree(entry.getStateMachineLogEntry().getLogData().newInput());
            if (op.get("op").asText().equals("create")) {
                CollectionSpec asked = CollectionSpec.fromJson(op.get("spec")).createdAt(ti.getIndex());
                CollectionSpec existing = specs.get(asked.name());
                if (existing == null) {
                    local.putSpec(asked);
                    specs.put(asked.name(), asked);
                    listener.created(asked);
                    result.put("created", true);
                } else if (existing.sameShape(asked)) {
                    result.put("created", false);
                } else {
                    result.put("conflict", "collection '" + asked.name() + "' exists with another config, shard_number or replication_factor");
                }
            } else {
                CollectionSpec existing = specs.get(op.get("name").asText());
                if (existing != null) {
                    listener.dropped(existing);
                    specs.remove(existing.name());
                    local.removeSpec(existing.name());
                }
                result.put("dropped", existing != null);
            }
        } catch (IOException e) {
            throw new IllegalStateException("catalog log entry " + ti + " is not a catalog change", e);
        }
        local.markApplied(KEY, ti);
        updateLastAppliedTermIndex(ti);
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFromUtf8(result.toString())));
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = snapshotPoint();
        if (last == null) {
            return -1;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        specs.values().forEach(s -> all.add(s.toJson()));
        File tmp = new File(file.getPath() + ".tmp");
        Files.writeString(tmp.toPath(), all.toString());
        try (FileChannel ch = FileChannel.open(tmp.toPath(), StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE);
        publishSnapshot(file, last);
        return last.getIndex();
    }

    @Override
    protected void loadInstalledSnapshot() throws IOException {
        storage.loadLatestSnapshot();
        SingleFileSnapshotInfo snap = storage.getLatestSnapshot();
        Map<String, CollectionSpec> loaded = new ConcurrentHashMap<>();
        for (JsonNode n : MAPPER.readTree(snap.getFile().getPath().toFile())) {
            CollectionSpec s = CollectionSpec.fromJson(n);
            loaded.put(s.name(), s);
        }
        for (CollectionSpec s : specs()) {
            if (!s.equals(loaded.get(s.name()))) {
                listener.dropped(s);
                specs.remove(s.name());
                local.removeSpec(s.name());
            }
        }
        for (CollectionSpec s : loaded.values()) {
            if (!specs.containsKey(s.name())) {
                local.putSpec(s);
                specs.put(s.name(), s);
                listener.created(s);
            }
        }
        local.markApplied(KEY, snap.getTermIndex());
        setLastAppliedTermIndex(snap.getTermIndex());
    }
}
