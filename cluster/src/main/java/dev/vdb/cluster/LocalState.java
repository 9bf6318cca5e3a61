package dev.vdb.cluster;

import dev.vdb.cluster.wire.PointWire;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * What a node keeps about its Raft groups beside their logs, in a collection of its own local
 * database ({@value #COLLECTION}), every record a synced engine write: for each group the last
 * log entry applied to its local collection (and a snapshot being loaded, if any), and the
 * catalog of clustered collections as this node last applied it. Because it lives in the same
 * RocksDB as the shards' collections, a restart finds the applied mark and the data it marks
 * together. Thread-safe (the engine's collections are).
 */
public final class LocalState {

    static final String COLLECTION = "_vdb_cluster";
    private static final float[] NO_VECTOR = {0f};

    private final VectorCollection records;

    public LocalState(VectorDb db) {
        this.records = db.createCollection(COLLECTION, CollectionConfig.of(1, Distance.EUCLID));
    }

    /** The last entry of {@code group} applied to its local collection, or null for none. */
    public TermIndex applied(String group) {
        return records.get(PointId.of("applied/" + group)).map(p -> TermIndex.valueOf(
                ((Number) p.payload().get("term")).longValue(), ((Number) p.payload().get("index")).longValue()))
                .orElse(null);
    }

    public void markApplied(String group, TermIndex ti) {
        records.upsert(List.of(Point.of("applied/" + group, NO_VECTOR, Map.of("term", ti.getTerm(), "index", ti.getIndex()))));
    }

    /** The snapshot {@code group} started to load and has not finished, if any. */
    public Optional<TermIndex> loading(String group) {
        return records.get(PointId.of("loading/" + group)).map(p -> TermIndex.valueOf(
                ((Number) p.payload().get("term")).longValue(), ((Number) p.payload().get("index")).longValue()));
    }

    public void markLoading(String group, TermIndex ti) {
        records.upsert(List.of(Point.of("loading/" + group, NO_VECTOR, Map.of("term", ti.getTerm(), "index", ti.getIndex()))));
    }

    /** Ends a snapshot load: the group's applied mark is the snapshot's, and no load is pending. */
    public void finishLoading(String group, TermIndex ti) {
        markApplied(group, ti);
        records.delete(List.of(PointId.of("loading/" + group)));
    }

    public void forget(String group) {
        records.delete(List.of(PointId.of("applied/" + group), PointId.of("loading/" + group)));
    }

    public void putSpec(CollectionSpec spec) {
        records.upsert(List.of(Point.of("spec/" + spec.name(), NO_VECTOR,
                Map.of("spec", PointWire.payload(spec.toJson())))));
    }

    public void removeSpec(String name) {
        records.delete(List.of(PointId.of("spec/" + name)));
    }

    /** The catalog as last applied on this node. */
    public List<CollectionSpec> specs() {
        List<CollectionSpec> out = new ArrayList<>();
        for (ScrollPage page = records.scroll(ScrollRequest.of(1000)); ; ) {
            for (Point p : page.points()) {
                if (p.id() instanceof PointId.Str s && s.id().startsWith("spec/")) {
                    out.add(CollectionSpec.fromJson(PointWire.payloadNode(p.payload()).get("spec")));
                }
            }
            if (page.nextOffset() == null) {
                return out;
            }
            page = records.scroll(ScrollRequest.of(1000).startingAt(page.nextOffset()));
        }
    }
}
