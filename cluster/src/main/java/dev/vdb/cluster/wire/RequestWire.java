package dev.vdb.cluster.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.FilterStrategy;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.TextConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Search and scroll requests, hits and collection configs as JSON between nodes. Stateless and
 * thread-safe.
 */
public final class RequestWire {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RequestWire() {}

    public static ObjectNode search(SearchRequest r) {
        ObjectNode o = F.objectNode();
        if (r.vector() != null) {
            o.put("vector", PointWire.vector(r.vector()));
        }
        if (r.text() != null) {
            o.put("text", r.text());
        }
        if (r.filter() != null) {
            o.set("filter", FilterWire.encode(r.filter()));
        }
        o.put("limit", r.limit()).put("offset", r.offset());
        o.put("ef", r.params().hnswEf()).put("exact", r.params().exact())
                .put("strategy", r.params().filterStrategy().name());
        o.put("fusion", r.fusion().method().name()).put("k", r.fusion().k()).put("alpha", r.fusion().alpha());
        o.put("with_payload", r.withPayload()).put("with_vector", r.withVector());
        if (r.scoreThreshold() != null) {
            o.put("score_threshold", r.scoreThreshold());
        }
        return o;
    }

    public static SearchRequest search(JsonNode n) {
        return SearchRequest.builder()
                .vector(n.has("vector") ? PointWire.vector(n.get("vector").asText()) : null)
                .text(n.hasNonNull("text") ? n.get("text").asText() : null)
                .filter(n.has("filter") ? FilterWire.decode(n.get("filter")) : null)
                .limit(n.get("limit").asInt()).offset(n.get("offset").asInt())
                .params(new SearchParams(n.get("ef").asInt(), n.get("exact").asBoolean(),
                        FilterStrategy.valueOf(n.get("strategy").asText())))
                .fusion(new Fusion(Fusion.Method.valueOf(n.get("fusion").asText()), n.get("k").asInt(),
                        (float) n.get("alpha").asDouble()))
                .withPayload(n.get("with_payload").asBoolean()).withVector(n.get("with_vector").asBoolean())
                .scoreThreshold(n.has("score_threshold") ? (float) n.get("score_threshold").asDouble() : null)
                .build();
    }

    public static ObjectNode scroll(ScrollRequest r) {
        if (r.orderBy() != null) {
            throw new IllegalArgumentException("order_by is not supported on a clustered collection yet");
        }
        ObjectNode o = F.objectNode();
        if (r.filter() != null) {
            o.set("filter", FilterWire.encode(r.filter()));
        }
        o.put("limit", r.limit()).put("with_payload", r.withPayload()).put("with_vector", r.withVector());
        if (r.offset() != null) {
            o.set("offset", PointWire.id(r.offset()));
        }
        return o;
    }

    public static ScrollRequest scroll(JsonNode n) {
        return new ScrollRequest(n.has("filter") ? FilterWire.decode(n.get("filter")) : null, n.get("limit").asInt(),
                n.has("offset") ? PointWire.idOf(n.get("offset")) : null, n.get("with_payload").asBoolean(),
                n.get("with_vector").asBoolean(), null);
    }

    public static ArrayNode hits(List<ScoredPoint> hits) {
        ArrayNode a = F.arrayNode();
        for (ScoredPoint h : hits) {
            ObjectNode o = a.addObject();
            o.set("id", PointWire.id(h.id()));
            o.put("score", h.score());
            if (h.payload() != null) {
                o.set("payload", PointWire.payloadNode(h.payload()));
            }
            if (h.vector() != null) {
                o.put("vector", PointWire.vector(h.vector()));
            }
        }
        return a;
    }

    public static List<ScoredPoint> hits(JsonNode a) {
        List<ScoredPoint> out = new ArrayList<>(a.size());
        for (JsonNode o : a) {
            out.add(new ScoredPoint(PointWire.idOf(o.get("id")), (float) o.get("score").asDouble(),
                    o.has("payload") ? PointWire.payload(o.get("payload")) : null,
                    o.has("vector") ? PointWire.vector(o.get("vector").asText()) : null));
        }
        return out;
    }

    /** The config as the cluster's log carries it; quantization is not replicated (refused, never dropped). */
    public static ObjectNode config(CollectionConfig c) {
        if (c.quantization() != null) {
            throw new IllegalArgumentException("quantization_config is not supported on distributed collections");
        }
        return F.objectNode().put("dimension", c.dimension()).put("distance", c.distance().apiName())
                .put("m", c.hnsw().m()).put("ef_construct", c.hnsw().efConstruct())
                .put("analyzer", c.text().analyzer()).put("k1", c.text().k1()).put("b", c.text().b())
                .put("vector_name", c.vectorName());
    }

    public static CollectionConfig config(JsonNode n) {
        return new CollectionConfig(n.get("dimension").asInt(), Distance.parse(n.get("distance").asText()),
                new HnswConfig(n.get("m").asInt(), n.get("ef_construct").asInt()),
                new TextConfig(n.get("analyzer").asText(), (float) n.get("k1").asDouble(), (float) n.get("b").asDouble()),
                null, n.path("vector_name").asText(""));
    }
}
