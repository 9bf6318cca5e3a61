package dev.vdb.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.PointSelector;
import dev.vdb.engine.VectorCollection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Qdrant's batch update ({@code POST /collections/{name}/points/batch}): {@code {"operations":[..]}},
 * each operation one of {@code upsert}, {@code delete}, {@code set_payload},
 * {@code overwrite_payload}, {@code delete_payload}, {@code clear_payload},
 * {@code update_vectors} with the body its own route takes ({@code delete_vectors} is refused, as
 * its route is). Every operation is parsed before the first runs, so a malformed one changes
 * nothing; they then run in order, each durable on return. As in Qdrant the batch is not one
 * transaction: an operation the engine refuses (an update of an unknown id) leaves those before it
 * done. Thread-safe; one per server.
 */
final class BatchUpdate {

    private static final Set<String> KINDS = Set.of("upsert", "delete", "set_payload", "overwrite_payload",
            "delete_payload", "clear_payload", "update_vectors", "delete_vectors");

    private final ObjectMapper mapper;
    private final TreeReader reader;
    private final PointRequestParser pointParser;
    private final QdrantPointRequests qdrant;

    BatchUpdate(ObjectMapper mapper, PointRequestParser pointParser) {
        this.mapper = mapper;
        this.reader = new TreeReader(mapper);
        this.pointParser = pointParser;
        this.qdrant = new QdrantPointRequests(mapper);
    }

    /** One parsed operation: its kind, and what runs it, returning how many points it changed. */
    record Operation(String kind, IntSupplier run) {}

    /** The batch of {@code body} for collection {@code c}, parsed; an error names the operation. */
    List<Operation> parse(InputStream body, VectorCollection c, RequestTimeout timeout) throws IOException {
        ObjectNode b = reader.object(body);
        TreeReader.onlyFields(b, "", Set.of("operations"));
        JsonNode operations = TreeReader.get(b, "operations");
        if (operations == null || !operations.isArray()) {
            throw new IllegalArgumentException("operations must be an array of update operations, got "
                    + TreeReader.show(operations));
        }
        if (operations.size() > SearchRequestParser.MAX_BATCH) {
            throw new IllegalArgumentException("operations has more than " + SearchRequestParser.MAX_BATCH + " operations");
        }
        List<Operation> out = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            String at = "operations[" + i + "]";
            ObjectNode operation = TreeReader.object(operations.get(i), at);
            if (operation.size() != 1 || !KINDS.contains(operation.fieldNames().next())) {
                throw new IllegalArgumentException(at + " must be an object with exactly one of " + KINDS.stream().sorted()
                        .toList() + ", got " + TreeReader.show(operation));
            }
            String kind = operation.fieldNames().next();
            try {
                out.add(new Operation(kind, operation(kind, TreeReader.object(operation.get(kind), kind), c, timeout)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "." + kind + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private IntSupplier operation(String kind, ObjectNode body, VectorCollection c, RequestTimeout timeout)
            throws IOException {
        return switch (kind) {
            case "upsert" -> {
                List<Point> points = pointParser.upsert(bytes(body), CollectionVector.of(c));
                yield () -> c.upsert(points);
            }
            case "delete" -> {
                PointRequestParser.DeleteSelector selector = pointParser.deleteSelector(bytes(body));
                yield () -> selector.filter() != null ? c.deleteByFilter(selector.filter(), timeout.remaining())
                        : c.delete(selector.ids());
            }
            case "set_payload", "overwrite_payload" -> {
                QdrantPointRequests.PayloadUpdate u = qdrant.payloadUpdate(body);
                yield kind.equals("set_payload") ? () -> c.setPayload(u.points(), u.payload())
                        : () -> c.overwritePayload(u.points(), u.payload());
            }
            case "delete_payload" -> {
                QdrantPointRequests.PayloadKeys k = qdrant.payloadKeys(body);
                yield () -> c.deletePayloadKeys(k.points(), k.keys());
            }
            case "clear_payload" -> {
                TreeReader.onlyFields(body, "", Set.of("points", "filter"));
                PointSelector points = qdrant.selector(body, "");
                yield () -> c.clearPayload(points);
            }
            case "update_vectors" -> {
                Map<PointId, float[]> vectors = qdrant.vectors(body, CollectionVector.of(c));
                yield () -> c.updateVectors(vectors);
            }
            default -> throw QdrantEndpoints.vectorsCannotBeDeleted(c);
        };
    }

    /** An operation's body as the bytes its own route's streaming parser reads. */
    private InputStream bytes(ObjectNode body) throws IOException {
        return new ByteArrayInputStream(mapper.writeValueAsBytes(body));
    }
}
