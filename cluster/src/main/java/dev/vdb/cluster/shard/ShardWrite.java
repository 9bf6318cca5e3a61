package dev.vdb.cluster.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.cluster.wire.FilterWire;
import dev.vdb.cluster.wire.PointWire;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.PointSelector;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.filter.Filter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One write to one shard: the entry a shard's Raft log carries, applied by every replica to its
 * local collection in log order. Each write is one atomic engine call, and applying it twice in
 * a row leaves what applying it once left ({@code f(f(s)) = f(s)}), which is what makes
 * re-applying the one entry a crash may leave unmarked safe ({@link AppliedIndex}).
 * Immutable and thread-safe.
 */
public sealed interface ShardWrite {

    /** Applies the write to the shard's local collection; returns how many points it touched. */
    long applyTo(VectorCollection c);

    record Upsert(List<Point> points) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            return c.upsert(points);
        }
    }

    record Delete(List<PointId> ids) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            return c.delete(ids);
        }
    }

    record DeleteByFilter(Filter filter) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            return c.deleteByFilter(filter);
        }
    }

    /** Qdrant's set (merge) or overwrite payload on the selected points. */
    record SetPayload(PointSelector selector, Map<String, Object> payload, boolean overwrite) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            return overwrite ? c.overwritePayload(selector, payload) : c.setPayload(selector, payload);
        }
    }

    record DeletePayloadKeys(PointSelector selector, List<String> keys) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            return c.deletePayloadKeys(selector, keys);
        }
    }

    record ClearPayload(PointSelector selector) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            return c.clearPayload(selector);
        }
    }

    /** New vectors for existing points; ids this shard does not hold are left out when applied. */
    record UpdateVectors(Map<PointId, float[]> vectors) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            Map<PointId, float[]> present = new LinkedHashMap<>();
            for (Point p : c.get(List.copyOf(vectors.keySet()))) {
                present.put(p.id(), vectors.get(p.id()));
            }
            return present.isEmpty() ? 0 : c.updateVectors(present);
        }
    }

    record CreatePayloadIndex(String field, PayloadSchema schema) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            c.createPayloadIndex(field, schema);
            return 0;
        }
    }

    /** Drops a payload index on every replica; 1 when the replica had it. */
    record DeletePayloadIndex(String field) implements ShardWrite {
        @Override
        public long applyTo(VectorCollection c) {
            return c.deletePayloadIndex(field) ? 1 : 0;
        }
    }

    /** The write as JSON (the log entry's bytes). */
    static ObjectNode encode(ShardWrite w) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        switch (w) {
            case Upsert u -> o.put("op", "upsert").set("points", PointWire.points(u.points()));
            case Delete d -> o.put("op", "delete").set("ids", PointWire.ids(d.ids()));
            case DeleteByFilter d -> o.put("op", "delete_by_filter").set("filter", FilterWire.encode(d.filter()));
            case SetPayload s -> {
                o.put("op", "set_payload").put("overwrite", s.overwrite()).set("payload", PointWire.payloadNode(s.payload()));
                o.set("selector", selector(s.selector()));
            }
            case DeletePayloadKeys d -> {
                o.put("op", "delete_payload_keys").set("selector", selector(d.selector()));
                ArrayNode keys = o.putArray("keys");
                d.keys().forEach(keys::add);
            }
            case ClearPayload c -> o.put("op", "clear_payload").set("selector", selector(c.selector()));
            case UpdateVectors u -> {
                o.put("op", "update_vectors");
                ArrayNode a = o.putArray("vectors");
                u.vectors().forEach((id, v) -> a.addObject().put("vector", PointWire.vector(v)).set("id", PointWire.id(id)));
            }
            case CreatePayloadIndex i -> o.put("op", "create_payload_index").put("field", i.field())
                    .put("schema", i.schema().apiName());
            case DeletePayloadIndex d -> o.put("op", "delete_payload_index").put("field", d.field());
        }
        return o;
    }

    static ShardWrite decode(JsonNode o) {
        return switch (o.get("op").asText()) {
            case "upsert" -> new Upsert(PointWire.points(o.get("points")));
            case "delete" -> new Delete(PointWire.ids(o.get("ids")));
            case "delete_by_filter" -> new DeleteByFilter(FilterWire.decode(o.get("filter")));
            case "set_payload" -> new SetPayload(selector(o.get("selector")), PointWire.payload(o.get("payload")),
                    o.get("overwrite").asBoolean());
            case "delete_payload_keys" -> new DeletePayloadKeys(selector(o.get("selector")),
                    PointWire.strings(o.get("keys")));
            case "clear_payload" -> new ClearPayload(selector(o.get("selector")));
            case "update_vectors" -> {
                Map<PointId, float[]> v = new LinkedHashMap<>();
                o.get("vectors").forEach(e -> v.put(PointWire.idOf(e.get("id")),
                        PointWire.vector(e.get("vector").asText())));
                yield new UpdateVectors(v);
            }
            case "create_payload_index" -> new CreatePayloadIndex(o.get("field").asText(),
                    PayloadSchema.parse(o.get("schema").asText()));
            case "delete_payload_index" -> new DeletePayloadIndex(o.get("field").asText());
            default -> throw new IllegalArgumentException("unknown shard write on the wire: " + o.get("op"));
        };
    }

    private static JsonNode selector(PointSelector s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        switch (s) {
            case PointSelector.Ids ids -> o.set("ids", PointWire.ids(ids.ids()));
            case PointSelector.ByFilter f -> o.set("filter", FilterWire.encode(f.filter()));
        }
        return o;
    }

    private static PointSelector selector(JsonNode o) {
        return o.has("ids") ? PointSelector.ids(PointWire.ids(o.get("ids"))) : PointSelector.filter(FilterWire.decode(o.get("filter")));
    }
}
