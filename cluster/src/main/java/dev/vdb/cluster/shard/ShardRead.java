package dev.vdb.cluster.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.cluster.wire.FilterWire;
import dev.vdb.cluster.wire.PointWire;
import dev.vdb.cluster.wire.RequestWire;
import dev.vdb.engine.FacetHit;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.filter.Filter;
import java.util.List;

/**
 * One read of one shard replica, answered from its local collection after the replica has
 * applied every write committed before the read began (Raft read index). Immutable and
 * thread-safe.
 */
public sealed interface ShardRead {

    /** Runs the read on the replica's local collection; the answer as JSON. */
    JsonNode runOn(VectorCollection c);

    record Search(SearchRequest request) implements ShardRead {
        @Override
        public JsonNode runOn(VectorCollection c) {
            return RequestWire.hits(c.search(request));
        }
    }

    /** Count of all points (null filter) or of those the filter matches. */
    record Count(Filter filter) implements ShardRead {
        @Override
        public JsonNode runOn(VectorCollection c) {
            return JsonNodeFactory.instance.numberNode(filter == null ? c.count() : c.count(filter));
        }
    }

    record Scroll(ScrollRequest request) implements ShardRead {
        @Override
        public JsonNode runOn(VectorCollection c) {
            ScrollPage page = c.scroll(request);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("points", PointWire.points(page.points()));
            if (page.nextOffset() != null) {
                o.set("next", PointWire.id(page.nextOffset()));
            }
            return o;
        }
    }

    record Get(List<PointId> ids) implements ShardRead {
        @Override
        public JsonNode runOn(VectorCollection c) {
            return PointWire.points(c.get(ids));
        }
    }

    /** Every value's count of a facet on the replica (all of them: the shards' counts add up before the best are kept). */
    record Facet(String key, Filter filter) implements ShardRead {
        @Override
        public JsonNode runOn(VectorCollection c) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (FacetHit hit : c.facet(key, filter, Integer.MAX_VALUE)) {
                out.addObject().put("count", hit.count()).set("value", PointWire.value(hit.value()));
            }
            return out;
        }
    }

    /** Points, indexed vectors and payload indexes of the replica. */
    record Info() implements ShardRead {
        @Override
        public JsonNode runOn(VectorCollection c) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("points", c.count()).put("indexed", c.indexedVectorsCount());
            ObjectNode idx = o.putObject("payload_indexes");
            c.payloadIndexes().forEach((k, v) -> idx.put(k, v.apiName()));
            return o;
        }
    }

    static ObjectNode encode(ShardRead r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        switch (r) {
            case Search s -> o.put("read", "search").set("request", RequestWire.search(s.request()));
            case Count c -> {
                o.put("read", "count");
                if (c.filter() != null) {
                    o.set("filter", FilterWire.encode(c.filter()));
                }
            }
            case Scroll s -> o.put("read", "scroll").set("request", RequestWire.scroll(s.request()));
            case Get g -> o.put("read", "get").set("ids", PointWire.ids(g.ids()));
            case Info i -> o.put("read", "info");
            case Facet f -> {
                o.put("read", "facet").put("key", f.key());
                if (f.filter() != null) {
                    o.set("filter", FilterWire.encode(f.filter()));
                }
            }
        }
        return o;
    }

    static ShardRead decode(JsonNode o) {
        return switch (o.get("read").asText()) {
            case "search" -> new Search(RequestWire.search(o.get("request")));
            case "count" -> new Count(o.has("filter") ? FilterWire.decode(o.get("filter")) : null);
            case "scroll" -> new Scroll(RequestWire.scroll(o.get("request")));
            case "get" -> new Get(PointWire.ids(o.get("ids")));
            case "info" -> new Info();
            case "facet" -> new Facet(o.get("key").asText(), o.has("filter") ? FilterWire.decode(o.get("filter")) : null);
            default -> throw new IllegalArgumentException("unknown shard read on the wire: " + o.get("read"));
        };
    }
}
