package dev.vdb.cluster.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Points, ids, vectors and payload values as JSON between nodes. Vectors travel as base64 of
 * little-endian float32, so every replica stores the very bits the client sent. Stateless and
 * thread-safe.
 */
public final class PointWire {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PointWire() {}

    public static ObjectNode point(Point p) {
        ObjectNode o = F.objectNode();
        o.set("id", id(p.id()));
        if (p.vector() != null) {
            o.put("vector", vector(p.vector()));
        }
        o.set("payload", MAPPER.valueToTree(p.payload()));
        if (p.text() != null) {
            o.put("text", p.text());
        }
        return o;
    }

    public static Point point(JsonNode n) {
        return new Point(idOf(n.get("id")), n.has("vector") ? vector(n.get("vector").asText()) : null,
                payload(n.get("payload")), n.hasNonNull("text") ? n.get("text").asText() : null);
    }

    public static ArrayNode points(List<Point> points) {
        ArrayNode a = F.arrayNode();
        points.forEach(p -> a.add(point(p)));
        return a;
    }

    public static List<Point> points(JsonNode a) {
        List<Point> out = new ArrayList<>(a.size());
        a.forEach(p -> out.add(point(p)));
        return out;
    }

    /** A JSON number or string as a point id. */
    public static PointId idOf(JsonNode n) {
        return n.isNumber() ? PointId.of(n.asLong()) : PointId.of(n.asText());
    }

    public static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>(a.size());
        a.forEach(s -> out.add(s.asText()));
        return out;
    }

    public static JsonNode id(PointId id) {
        return id instanceof PointId.Num n ? F.numberNode(n.id()) : F.textNode(((PointId.Str) id).id());
    }

    public static ArrayNode ids(List<PointId> ids) {
        ArrayNode a = F.arrayNode();
        ids.forEach(i -> a.add(id(i)));
        return a;
    }

    public static List<PointId> ids(JsonNode a) {
        List<PointId> out = new ArrayList<>(a.size());
        a.forEach(i -> out.add(idOf(i)));
        return out;
    }

    public static String vector(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    public static float[] vector(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> payload(JsonNode n) {
        return n == null || n.isNull() ? Map.of() : MAPPER.convertValue(n, Map.class);
    }

    public static JsonNode payloadNode(Map<String, ?> payload) {
        return MAPPER.valueToTree(payload);
    }

    /** A scalar (a match value, a facet's value) as JSON. */
    public static JsonNode value(Object v) {
        return MAPPER.valueToTree(v);
    }

    /** A scalar back: a string, a boolean, or an integer as a {@link Long}. */
    public static Object value(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        return MAPPER.convertValue(n, Object.class);
    }
}
