package dev.vdb.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.cluster.shard.ShardRead;
import dev.vdb.cluster.shard.ShardStateMachine;
import dev.vdb.cluster.shard.ShardWrite;
import dev.vdb.cluster.wire.PointWire;
import dev.vdb.cluster.wire.RequestWire;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.CollectionDiagnostics;
import dev.vdb.engine.CollectionMemory;
import dev.vdb.engine.Distance;
import dev.vdb.engine.FacetHit;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.PointSelector;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.filter.Filter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A clustered collection seen from one node, with the embedded API's meaning: writes are split
 * by shard and go through each shard's Raft log; reads fan out to one replica of each shard and
 * merge ({@link ShardAccess}, {@link ResultMerge}).
 *
 * <ul>
 *   <li>A write returns once every shard it touches has committed it on a majority of its
 *       replicas and applied it on the leader (and on this node, when it holds a replica).
 *       Each shard's part is atomic; parts on different shards are not atomic together: when
 *       some shard fails, {@link ShardWriteException} tells which parts were applied.</li>
 *   <li>Reads are linearizable per shard (Raft read index on the replica asked), so a read
 *       that starts after an acknowledged write sees it, on any node.</li>
 *   <li>An exact search equals exact search on one node holding the same points. BM25 and
 *       hybrid scores use each shard's own text statistics, so they differ slightly from a
 *       single node's; {@code explain} and scroll {@code order_by} are refused.</li>
 * </ul>
 *
 * <p>Thread safety: stateless apart from the node it uses; every method may be called from any thread.
 */
public final class DistributedCollection implements VectorCollection {

    private final ClusterNode node;
    private final CollectionSpec spec;
    private final ShardAccess shards;

    DistributedCollection(ClusterNode node, CollectionSpec spec) {
        this.node = node;
        this.spec = spec;
        this.shards = new ShardAccess(node, spec);
    }

    public CollectionSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public CollectionConfig config() {
        return spec.config();
    }

    /** Waits until every shard has a leader that answers a read. */
    void awaitLeaders() {
        shards.readAll(new ShardRead.Info());
    }

    // ---- writes

    /** Upserts, telling per shard how many points it applied. */
    public List<ShardResult> upsertPerShard(List<Point> points) {
        WriteValidation.points(points, spec.config().dimension());
        Map<Integer, List<Point>> byShard = new LinkedHashMap<>();
        for (Point p : points) {
            byShard.computeIfAbsent(ShardRouting.shardOf(p.id(), spec.shardNumber()), s -> new ArrayList<>()).add(p);
        }
        Map<Integer, ShardWrite> writes = new LinkedHashMap<>();
        byShard.forEach((s, ps) -> writes.put(s, new ShardWrite.Upsert(ps)));
        return shards.write(writes);
    }

    @Override
    public int upsert(List<Point> points) {
        return (int) total(upsertPerShard(points));
    }

    @Override
    public int delete(List<PointId> ids) {
        WriteValidation.ids(ids);
        Map<Integer, ShardWrite> writes = new LinkedHashMap<>();
        byShard(ids).forEach((s, part) -> writes.put(s, new ShardWrite.Delete(part)));
        return (int) total(shards.write(writes));
    }

    /** The timeout does not reach the shards: a replicated delete is bounded by the write timeout instead. */
    @Override
    public int deleteByFilter(Filter filter, Duration timeout) {
        return (int) everyShard(new ShardWrite.DeleteByFilter(filter));
    }

    @Override
    public int setPayload(PointSelector points, Map<String, ?> payload) {
        return (int) bySelector(points, sel -> new ShardWrite.SetPayload(sel, copy(payload), false));
    }

    @Override
    public int overwritePayload(PointSelector points, Map<String, ?> payload) {
        return (int) bySelector(points, sel -> new ShardWrite.SetPayload(sel, copy(payload), true));
    }

    @Override
    public int deletePayloadKeys(PointSelector points, List<String> keys) {
        return (int) bySelector(points, sel -> new ShardWrite.DeletePayloadKeys(sel, List.copyOf(keys)));
    }

    @Override
    public int clearPayload(PointSelector points) {
        return (int) bySelector(points, ShardWrite.ClearPayload::new);
    }

    @Override
    public int updateVectors(Map<PointId, float[]> vectors) {
        WriteValidation.vectors(vectors, spec.config().dimension());
        Map<Integer, Map<PointId, float[]>> parts = new LinkedHashMap<>();
        vectors.forEach((id, v) -> parts.computeIfAbsent(ShardRouting.shardOf(id, spec.shardNumber()),
                s -> new LinkedHashMap<>()).put(id, v));
        Map<Integer, ShardWrite> writes = new LinkedHashMap<>();
        parts.forEach((s, part) -> writes.put(s, new ShardWrite.UpdateVectors(part)));
        return (int) total(shards.write(writes));
    }

    @Override
    public void createPayloadIndex(String field, PayloadSchema schema) {
        everyShard(new ShardWrite.CreatePayloadIndex(field, schema));
    }

    @Override
    public boolean deletePayloadIndex(String field) {
        return everyShard(new ShardWrite.DeletePayloadIndex(field)) > 0;
    }

    private long bySelector(PointSelector selector, Function<PointSelector, ShardWrite> write) {
        if (selector instanceof PointSelector.Ids ids) {
            WriteValidation.ids(ids.ids());
            Map<Integer, ShardWrite> writes = new LinkedHashMap<>();
            byShard(ids.ids()).forEach((s, part) -> writes.put(s, write.apply(PointSelector.ids(part))));
            return total(shards.write(writes));
        }
        return everyShard(write.apply(selector));
    }

    private long everyShard(ShardWrite w) {
        Map<Integer, ShardWrite> writes = new LinkedHashMap<>();
        for (int s = 0; s < spec.shardNumber(); s++) {
            writes.put(s, w);
        }
        return total(shards.write(writes));
    }

    private static long total(List<ShardResult> results) {
        return results.stream().mapToLong(ShardResult::count).sum();
    }

    private Map<Integer, List<PointId>> byShard(List<PointId> ids) {
        Map<Integer, List<PointId>> out = new LinkedHashMap<>();
        for (PointId id : ids) {
            out.computeIfAbsent(ShardRouting.shardOf(id, spec.shardNumber()), s -> new ArrayList<>()).add(id);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, ?> payload) {
        return (Map<String, Object>) Map.copyOf(payload);
    }

    // ---- reads

    @Override
    public Optional<Point> get(PointId id) {
        List<Point> found = get(List.of(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<Point> get(List<PointId> ids) {
        WriteValidation.ids(ids);
        Map<Integer, ShardRead> reads = new LinkedHashMap<>();
        byShard(ids).forEach((s, part) -> reads.put(s, new ShardRead.Get(part)));
        Map<PointId, Point> found = new HashMap<>();
        shards.read(reads).values().forEach(a -> PointWire.points(a).forEach(p -> found.put(p.id(), p)));
        List<Point> out = new ArrayList<>();
        for (PointId id : ids) {
            Point p = found.get(id);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public long count() {
        return count(null);
    }

    /** The timeout does not reach the shards: a shard read is bounded by the read timeout instead. */
    @Override
    public long count(Filter filter, Duration timeout) {
        return shards.readAll(new ShardRead.Count(filter)).values().stream().mapToLong(JsonNode::asLong).sum();
    }

    @Override
    public Map<String, PayloadSchema> payloadIndexes() {
        Map<String, PayloadSchema> out = new LinkedHashMap<>();
        shards.read(Map.of(0, new ShardRead.Info())).get(0).get("payload_indexes").fields()
                .forEachRemaining(e -> out.put(e.getKey(), PayloadSchema.parse(e.getValue().asText())));
        return out;
    }

    @Override
    public long indexedVectorsCount() {
        return shards.readAll(new ShardRead.Info()).values().stream().mapToLong(n -> n.get("indexed").asLong()).sum();
    }

    @Override
    public List<ScoredPoint> search(SearchRequest request) {
        if (request.explain()) {
            throw new IllegalArgumentException("explain is not supported on a clustered collection yet");
        }
        if (request.vector() != null) {
            WriteValidation.vector(request.vector(), spec.config().dimension(), "vector", "");
        }
        int wanted = request.offset() + request.limit();
        SearchRequest perShard = request.toBuilder().offset(0).limit(Math.min(wanted, SearchRequest.MAX_LIMIT)).build();
        List<List<ScoredPoint>> lists = new ArrayList<>();
        shards.readAll(new ShardRead.Search(perShard)).values().forEach(a -> lists.add(RequestWire.hits(a)));
        boolean distance = spec.config().distance() == Distance.EUCLID && request.text() == null;
        return ResultMerge.topK(lists, request.offset(), request.limit(), distance);
    }

    @Override
    public ScrollPage scroll(ScrollRequest request) {
        if (request.orderBy() != null) {
            throw new IllegalArgumentException("order_by is not supported on a clustered collection yet");
        }
        List<ScrollPage> pages = new ArrayList<>();
        shards.readAll(new ShardRead.Scroll(request)).values().forEach(a -> pages.add(new ScrollPage(
                PointWire.points(a.get("points")), a.has("next") ? PointWire.idOf(a.get("next")) : null)));
        return ResultMerge.scroll(pages, request.limit());
    }

    /**
     * The diagnostics of this node's own replicas of the collection's shards, combined: each
     * recovery reason prefixed with its shard ({@code "shard 1: ..."}), counts summed. Replicas
     * on other nodes are not asked; a node holding no replica reports an empty record.
     */
    @Override
    public CollectionDiagnostics diagnostics() {
        Map<Integer, CollectionDiagnostics> local = new LinkedHashMap<>();
        for (int s = 0; s < spec.shardNumber(); s++) {
            ShardStateMachine sm = node.localReplica(spec, s);
            if (sm != null) {
                local.put(s, sm.collection().diagnostics());
            }
        }
        return new CollectionDiagnostics(
                reasons(local, CollectionDiagnostics::graphRecovery), reasons(local, CollectionDiagnostics::idMapRecovery),
                reasons(local, CollectionDiagnostics::textIndexRecovery),
                reasons(local, CollectionDiagnostics::payloadIndexRecovery),
                reasons(local, CollectionDiagnostics::vectorFileRecovery),
                reasons(local, CollectionDiagnostics::codesRecovery),
                local.values().stream().mapToLong(CollectionDiagnostics::searchDistanceComputations).sum(),
                local.values().stream().mapToInt(CollectionDiagnostics::textDocuments).sum(),
                local.values().stream().anyMatch(CollectionDiagnostics::tenantGraphsBuilding));
    }

    /** Quantization is not replicated through the cluster's log yet; collections there stay unquantized. */
    /** Refused: an even draw over the shards needs their counts first (not built yet). */
    @Override
    public List<Point> sample(ScrollRequest request) {
        throw new IllegalArgumentException("a random sample is not supported on a clustered collection yet");
    }

    @Override
    public List<FacetHit> facet(String key, Filter filter, int limit) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must name a payload field, got " + (key == null ? "none" : "an empty name"));
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        // a point lives in one shard: each value's count is the sum of the shards' counts
        Map<Object, Long> counts = new HashMap<>();
        for (JsonNode shard : shards.readAll(new ShardRead.Facet(key, filter)).values()) {
            shard.forEach(hit -> counts.merge(PointWire.value(hit.get("value")), hit.get("count").asLong(), Long::sum));
        }
        return counts.entrySet().stream().map(e -> new FacetHit(e.getKey(), e.getValue())).sorted(FacetHit.ORDER)
                .limit(limit).toList();
    }

    @Override
    public void updateQuantization(QuantizationConfig quantization) {
        throw new IllegalArgumentException("quantization_config is not supported on distributed collections");
    }

    /** The memory of this node's own replicas of the collection's shards, summed. */
    @Override
    public CollectionMemory memory() {
        long heap = 0, mapped = 0, disk = 0;
        for (int s = 0; s < spec.shardNumber(); s++) {
            ShardStateMachine sm = node.localReplica(spec, s);
            if (sm != null) {
                CollectionMemory m = sm.collection().memory();
                heap += m.heapBytes();
                mapped += m.offHeapMappedBytes();
                disk += m.diskBytes();
            }
        }
        return new CollectionMemory(heap, mapped, disk);
    }

    /** Whether any of this node's own replicas of the collection's shards is in memory now. */
    @Override
    public boolean isLoaded() {
        for (int s = 0; s < spec.shardNumber(); s++) {
            ShardStateMachine sm = node.localReplica(spec, s);
            if (sm != null && sm.collection().isLoaded()) {
                return true;
            }
        }
        return false;
    }

    private static String reasons(Map<Integer, CollectionDiagnostics> local, Function<CollectionDiagnostics, String> reason) {
        String joined = local.entrySet().stream().filter(e -> reason.apply(e.getValue()) != null)
                .map(e -> "shard " + e.getKey() + ": " + reason.apply(e.getValue())).collect(Collectors.joining("; "));
        return joined.isEmpty() ? null : joined;
    }

    /** Whether this node holds a replica of {@code shard} and it has applied {@code index}. */
    boolean localApplied(int shard, long index) {
        ShardStateMachine sm = node.localReplica(spec, shard);
        return sm == null || sm.getLastAppliedTermIndex() != null && sm.getLastAppliedTermIndex().getIndex() >= index;
    }
}
