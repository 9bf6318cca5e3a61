package dev.vdb.server;

import static dev.vdb.server.TreeReader.get;
import static dev.vdb.server.TreeReader.noShardKey;
import static dev.vdb.server.TreeReader.onlyFields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.PointSelector;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.filter.DateTimes;
import dev.vdb.engine.filter.Filter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the point bodies of Qdrant's REST API beyond the contract's own (scroll, payload and
 * vector updates), read as trees since their fields take several forms, into small records the
 * endpoints run. {@code shard_key} is refused with a 400 naming it. Thread-safe; allocates the
 * parsed values only.
 */
final class QdrantPointRequests {
    private final TreeReader reader;

    QdrantPointRequests(ObjectMapper mapper) {
        this.reader = new TreeReader(mapper);
    }

    /** A scroll and the payload keys its points carry. */
    record Scroll(ScrollRequest request, PayloadSelector payload) {}

    /** The points a payload update applies to, and the payload. */
    record PayloadUpdate(PointSelector points, Map<String, Object> payload) {}

    /** The points a payload key deletion applies to, and the keys. */
    record PayloadKeys(PointSelector points, List<String> keys) {}

    /** {@code POST /points/scroll}: filter, limit, offset (a point id), order_by, with_payload, with_vector. */
    Scroll scroll(ObjectNode b, CollectionVector collectionVector) {
        onlyFields(b, "", Set.of("filter", "limit", "offset", "order_by", "with_payload", "with_vector", "shard_key"));
        noShardKey(b, "");
        int limit = get(b, "limit") == null ? 10 : TreeReader.intIn(get(b, "limit"), "limit", 1, SearchRequest.MAX_LIMIT);
        PointId offset = get(b, "offset") == null ? null : TreeReader.pointId(get(b, "offset"), "offset");
        JsonNode order = get(b, "order_by");
        ScrollRequest.OrderBy orderBy = order == null ? null : orderBy(order, "order_by");
        PayloadSelector payload = TreeReader.payloadSelector(b, "", PayloadSelector.ALL);
        return new Scroll(new ScrollRequest(TreeReader.filter(b, "filter"), limit, offset, payload.any(),
                TreeReader.withVector(b, "", collectionVector), orderBy), payload);
    }

    /**
     * Qdrant's {@code order_by} at {@code field}: a payload key, or {@code {"key":..,"direction":
     * "asc"|"desc","start_from":..}} (scroll's and the Query API's).
     */
    static ScrollRequest.OrderBy orderBy(JsonNode order, String field) {
        if (order.isTextual()) {
            return new ScrollRequest.OrderBy(order.asText(), false, null);
        }
        ObjectNode o = TreeReader.object(order, field);
        onlyFields(o, field + ".", Set.of("key", "direction", "start_from"));
        String direction = get(o, "direction") == null ? "asc" : TreeReader.string(get(o, "direction"), field + ".direction");
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw new IllegalArgumentException(field + ".direction must be asc or desc, got " + Json.quote(direction));
        }
        JsonNode start = get(o, "start_from");
        Double from = start == null ? null : start.isTextual() ? startDateTime(start.textValue(), field + ".start_from")
                : (double) TreeReader.finiteFloat(start, field + ".start_from");
        return new ScrollRequest.OrderBy(TreeReader.string(get(o, "key"), field + ".key"), direction.equals("desc"), from);
    }

    /** A date-time {@code start_from} (ordering by a datetime index), as the microseconds that index holds. */
    private static Double startDateTime(String text, String field) {
        Long micros = DateTimes.parseMicros(text);
        if (micros == null) {
            throw new IllegalArgumentException(field + " must be a number or a date-time like 2014-01-01T00:00:00Z, got "
                    + Json.quote(text));
        }
        return (double) micros;
    }

    /** Set or overwrite payload: {@code {"payload":{..},"points":[..]}} or with {@code "filter"}. */
    PayloadUpdate payloadUpdate(ObjectNode b) {
        onlyFields(b, "", Set.of("payload", "points", "filter", "key", "shard_key"));
        noShardKey(b, "");
        if (get(b, "key") != null) {
            throw new IllegalArgumentException("key (setting a payload under a nested key) is not supported; set the "
                    + "whole top-level key instead");
        }
        return new PayloadUpdate(selector(b, ""), reader.payload(get(b, "payload"), "payload"));
    }

    /** {@code {"keys":[..],"points":[..]}} or with {@code "filter"}. */
    PayloadKeys payloadKeys(ObjectNode b) {
        onlyFields(b, "", Set.of("keys", "points", "filter", "shard_key"));
        noShardKey(b, "");
        JsonNode keys = get(b, "keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalArgumentException("keys must be an array of payload keys, got " + TreeReader.show(keys));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            out.add(TreeReader.string(keys.get(i), "keys[" + i + "]"));
        }
        return new PayloadKeys(selector(b, ""), out);
    }

    /** Qdrant's PointsSelector: {@code {"points":[..]}} or {@code {"filter":{..}}}. */
    PointSelector selector(ObjectNode b, String at) {
        JsonNode points = get(b, "points");
        Filter filter = TreeReader.filter(b, "filter");
        if ((points == null) == (filter == null)) {
            throw new IllegalArgumentException(points == null ? at + "points or filter is missing (the point ids, or a "
                    + "filter of the points)" : at + "give points or filter, not both");
        }
        return points != null ? PointSelector.ids(TreeReader.pointIds(points, at + "points")) : PointSelector.filter(filter);
    }

    /** {@code PUT /points/vectors}: {@code {"points":[{"id":..,"vector":[..]}]}}. */
    Map<PointId, float[]> vectors(ObjectNode b, CollectionVector collectionVector) {
        onlyFields(b, "", Set.of("points", "shard_key"));
        noShardKey(b, "");
        JsonNode points = get(b, "points");
        if (points == null || !points.isArray()) {
            throw new IllegalArgumentException("points must be an array of {\"id\":..,\"vector\":[..]}, got "
                    + TreeReader.show(points));
        }
        Map<PointId, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            String at = "points[" + i + "]";
            ObjectNode p = TreeReader.object(points.get(i), at);
            onlyFields(p, at + ".", Set.of("id", "vector"));
            out.put(TreeReader.pointId(get(p, "id"), at + ".id"), TreeReader.vector(get(p, "vector"), at + ".vector",
                    collectionVector));
        }
        return out;
    }
}
