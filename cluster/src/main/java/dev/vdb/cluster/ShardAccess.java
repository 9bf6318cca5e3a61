package dev.vdb.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.cluster.shard.ShardRead;
import dev.vdb.cluster.shard.ShardWrite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * Sends a collection's shard writes through their Raft leaders and its shard reads to one replica
 * of each shard, all shards in parallel.
 *
 * <p>Replica choice for a read: this node's own replica first, then the others in turn; a
 * replica that failed is skipped for {@value #SUSPECT_MILLIS} ms. A read that no replica
 * answers (an election in progress) is tried again until the write timeout.
 *
 * <p>Thread safety: thread-safe; the suspect list is shared by the node's collections.
 */
final class ShardAccess {

    static final long SUSPECT_MILLIS = 2_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ExecutorService FAN_OUT = Executors.newVirtualThreadPerTaskExecutor();
    private static final Map<Integer, Long> SUSPECT_UNTIL = new ConcurrentHashMap<>();
    private static final AtomicInteger TURN = new AtomicInteger();

    private final ClusterNode node;
    private final CollectionSpec spec;

    ShardAccess(ClusterNode node, CollectionSpec spec) {
        this.node = node;
        this.spec = spec;
    }

    /** Applies each shard's write; throws {@link ShardWriteException} when some shard did not. */
    List<ShardResult> write(Map<Integer, ShardWrite> writes) {
        Map<Integer, CompletableFuture<ShardResult>> futures = new LinkedHashMap<>();
        writes.forEach((s, w) -> futures.put(s, CompletableFuture.supplyAsync(() -> writeOne(s, w), FAN_OUT)));
        List<ShardResult> results = new ArrayList<>();
        Throwable failure = null;
        IllegalArgumentException refused = null;
        for (var e : futures.entrySet()) {
            try {
                results.add(e.getValue().join());
            } catch (java.util.concurrent.CompletionException ex) {
                Throwable cause = ex.getCause();
                if (cause instanceof IllegalArgumentException iae) {
                    refused = iae;
                }
                failure = cause;
                results.add(new ShardResult(e.getKey(), false, 0, String.valueOf(cause.getMessage())));
            }
        }
        if (failure == null) {
            return results;
        }
        if (refused != null && results.stream().noneMatch(ShardResult::applied)) {
            throw refused;
        }
        if (results.size() == 1 && failure instanceof ClusterUnavailableException cue) {
            throw cue;
        }
        throw new ShardWriteException(spec.name(), results, failure);
    }

    private ShardResult writeOne(int shard, ShardWrite w) {
        Message m = Message.valueOf(ByteString.copyFromUtf8(ShardWrite.encode(w).toString()));
        RaftClientReply reply = node.write(spec.groupId(shard), () -> node.writeClient(spec, shard), m,
                "write to shard " + shard + " of " + spec.name());
        JsonNode result = ClusterCalls.json(reply);
        if (result.has("error")) {
            throw new IllegalArgumentException(result.get("error").asText());
        }
        long index = result.path("index").asLong(reply.getLogIndex());
        DistributedCollection dc = new DistributedCollection(node, spec);
        try {
            ClusterCalls.await(() -> dc.localApplied(shard, index) ? java.util.Optional.of(true) : java.util.Optional.empty(),
                    node.options().writeTimeout(), "this node's replica of shard " + shard + " to apply index " + index);
        } catch (ClusterUnavailableException lagging) {
            // Committed on a majority and applied by the leader: acknowledged; reads are linearizable anyway.
        }
        return new ShardResult(shard, true, result.path("count").asLong(), null);
    }

    /** One read on every shard. */
    Map<Integer, JsonNode> readAll(ShardRead r) {
        Map<Integer, ShardRead> reads = new LinkedHashMap<>();
        for (int s = 0; s < spec.shardNumber(); s++) {
            reads.put(s, r);
        }
        return read(reads);
    }

    /** The given read on each given shard, in parallel. */
    Map<Integer, JsonNode> read(Map<Integer, ShardRead> reads) {
        Map<Integer, CompletableFuture<JsonNode>> futures = new LinkedHashMap<>();
        reads.forEach((s, r) -> futures.put(s, CompletableFuture.supplyAsync(() -> readOne(s, r), FAN_OUT)));
        Map<Integer, JsonNode> out = new LinkedHashMap<>();
        futures.forEach((s, f) -> {
            try {
                out.put(s, f.join());
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        });
        return out;
    }

    private JsonNode readOne(int shard, ShardRead r) {
        Message m = Message.valueOf(ByteString.copyFromUtf8(ShardRead.encode(r).toString()));
        long deadline = System.nanoTime() + node.options().writeTimeout().toNanos();
        Exception last = null;
        while (true) {
            for (int nodeId : order(shard)) {
                try {
                    RaftClientReply reply = node.readClient(spec, shard).io().sendReadOnly(m, RaftSetup.peerId(nodeId));
                    if (reply.isSuccess()) {
                        SUSPECT_UNTIL.remove(nodeId);
                        return MAPPER.readTree(reply.getMessage().getContent().newInput());
                    }
                    last = reply.getException();
                } catch (IOException | RuntimeException e) {
                    if (e instanceof IllegalArgumentException iae) {
                        throw iae;
                    }
                    last = e;
                }
                if (isBadRequest(last)) {
                    throw new IllegalArgumentException(rootMessage(last), last);
                }
                SUSPECT_UNTIL.put(nodeId, System.currentTimeMillis() + SUSPECT_MILLIS);
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterUnavailableException("no replica of shard " + shard + " of " + spec.name()
                        + " answered: " + last, last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterUnavailableException("interrupted reading shard " + shard + " of " + spec.name(), e);
            }
        }
    }

    /** A read the state machine refused as bad input is bad on every replica: no retry. */
    private static boolean isBadRequest(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException || String.valueOf(c.getMessage()).contains("IllegalArgumentException")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        String msg = t.getMessage();
        int i = msg == null ? -1 : msg.indexOf("IllegalArgumentException: ");
        return i < 0 ? String.valueOf(msg) : msg.substring(i + "IllegalArgumentException: ".length());
    }

    /** Replicas of {@code shard} in the order to ask them: own first, then in turn, suspects last. */
    private List<Integer> order(int shard) {
        List<Integer> replicas = spec.replicas(shard, node.topology().nodeIds());
        List<Integer> good = new ArrayList<>();
        List<Integer> suspect = new ArrayList<>();
        int start = Math.floorMod(TURN.getAndIncrement(), replicas.size());
        long now = System.currentTimeMillis();
        for (int i = 0; i < replicas.size(); i++) {
            int id = replicas.get((start + i) % replicas.size());
            (SUSPECT_UNTIL.getOrDefault(id, 0L) > now ? suspect : good).add(id);
        }
        int self = node.topology().selfId();
        if (good.remove((Integer) self)) {
            good.add(0, self);
        }
        good.addAll(suspect);
        return good;
    }
}
