package dev.vdb.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointGroup;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.filter.Filter;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The JSON endpoints of the contract: each parses its body, calls the engine and returns the
 * {@code result} to write. The collection name is already validated. Thread-safe (the engine
 * is); allocates the parsed request and the engine's answer.
 */
final class Endpoints {
    private final VectorDb db;
    private final CollectionRequestParser collections;
    private final PointRequestParser pointParser;
    private final SearchRequestParser searches;
    private final ServerMetrics metrics;
    private final QdrantEndpoints qdrant;
    private final BatchUpdate batches;

    /** @param maxPayloadBytes the largest payload a point may carry, in bytes of JSON */
    Endpoints(VectorDb db, ObjectMapper mapper, int maxPayloadBytes, ServerMetrics metrics) {
        this.db = db;
        this.collections = new CollectionRequestParser(mapper);
        this.pointParser = new PointRequestParser(mapper, maxPayloadBytes);
        this.searches = new SearchRequestParser(mapper);
        this.metrics = metrics;
        this.qdrant = new QdrantEndpoints(db, mapper, metrics);
        this.batches = new BatchUpdate(mapper, pointParser);
    }

    /** The answer to one request; its searches, counts and deletes by filter run within {@code timeout}. */
    ResultWriter handle(RouteMatch m, String method, InputStream body, RequestTimeout timeout) throws IOException {
        return switch (m.route()) {
            case HEALTHZ -> g -> {
                g.writeStartObject();
                g.writeStringField("status", "ok");
                g.writeEndObject();
            };
            case COLLECTIONS -> listCollections();
            case COLLECTION -> switch (method) {
                case "PUT" -> createCollection(m.collection(), body);
                case "PATCH" -> qdrant.updateCollection(m.collection(), body);
                case "DELETE" -> dropCollection(m.collection());
                default -> JsonWriters.collectionInfo(db.collection(m.collection()));
            };
            case PAYLOAD_INDEX -> createPayloadIndex(m.collection(), body);
            case PAYLOAD_INDEX_FIELD -> deletePayloadIndex(m.collection(), m.pointId());
            case POINTS -> method.equals("PUT") ? upsert(m.collection(), body) : getPoints(m.collection(), body);
            case POINT -> getPoint(m.collection(), m.pointId());
            case DELETE_POINTS -> delete(m.collection(), body, timeout);
            case BATCH_UPDATE -> batchUpdate(m.collection(), body, timeout);
            case COUNT_POINTS -> count(m.collection(), body, timeout);
            case SEARCH -> search(m.collection(), body, timeout);
            case SEARCH_BATCH -> searchBatch(m.collection(), body, timeout);
            case SEARCH_GROUPS -> searchGroups(m.collection(), body, timeout);
            case ALIASES, COLLECTION_ALIASES -> qdrant.aliases(m.collection());
            case UPDATE_ALIASES -> qdrant.updateAliases(body);
            case COLLECTION_EXISTS -> qdrant.exists(m.collection());
            case SCROLL -> qdrant.scroll(m.collection(), body);
            case SET_PAYLOAD -> qdrant.setPayload(m.collection(), body, method.equals("PUT"));
            case DELETE_PAYLOAD -> qdrant.deletePayload(m.collection(), body);
            case CLEAR_PAYLOAD -> qdrant.clearPayload(m.collection(), body);
            case UPDATE_VECTORS -> qdrant.updateVectors(m.collection(), body);
            case DELETE_VECTORS -> qdrant.deleteVectors(m.collection());
            case RECOMMEND -> qdrant.recommend(m.collection(), body, timeout);
            case RECOMMEND_BATCH -> qdrant.recommendBatch(m.collection(), body, timeout);
            case QUERY -> qdrant.query(m.collection(), body, timeout);
            case QUERY_BATCH -> qdrant.queryBatch(m.collection(), body, timeout);
            case QUERY_GROUPS -> qdrant.queryGroups(m.collection(), body, timeout);
            case FACET -> qdrant.facet(m.collection(), body);
            case CLUSTER -> ClusterEndpoints.cluster(db);
            case COLLECTION_CLUSTER -> ClusterEndpoints.collectionCluster(db, m.collection());
            case ROOT, METRICS, OPENAPI, DASHBOARD, DASHBOARD_FILE, SNAPSHOTS, SNAPSHOT, COLLECTION_SNAPSHOTS,
                 COLLECTION_SNAPSHOT, RECOVER_SNAPSHOT, UPLOAD_SNAPSHOT ->
                    throw new IllegalStateException(m.route() + " is not a JSON endpoint");
        };
    }

    private ResultWriter listCollections() {
        List<String> names = db.collectionNames();
        return g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("collections");
            for (String name : names) {
                g.writeStartObject();
                g.writeStringField("name", name);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    private ResultWriter createCollection(String name, InputStream body) throws IOException {
        ClusterEndpoints.createCollection(db, name, collections.collectionConfig(body));
        return g -> g.writeBoolean(true);
    }

    /** True when it existed; deleting a missing collection is not an error (as in Qdrant). */
    private ResultWriter dropCollection(String name) {
        boolean existed = db.dropCollection(name);
        return g -> g.writeBoolean(existed);
    }

    private ResultWriter upsert(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        List<Point> points = pointParser.upsert(body, CollectionVector.of(c));
        int n = c.upsert(points);
        metrics.upserted(n);
        return g -> {
            g.writeStartObject();
            g.writeStringField("status", "completed");
            g.writeNumberField("upserted", n);
            g.writeEndObject();
        };
    }

    private ResultWriter getPoints(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        PointRequestParser.PointsLookup lookup = pointParser.pointsLookup(body, CollectionVector.of(c));
        List<Point> points = c.get(lookup.ids());
        return g -> {
            g.writeStartArray();
            for (Point p : points) {
                JsonWriters.point(g, p, lookup.withVector(), lookup.withPayload(), c.config().vectorName());
            }
            g.writeEndArray();
        };
    }

    private ResultWriter getPoint(String name, String rawId) {
        VectorCollection c = db.collection(name);
        PointId id = pathId(rawId);
        Point p = c.get(id).orElseThrow(
                () -> HttpError.notFound("point " + id + " does not exist in collection '" + name + "'"));
        return g -> JsonWriters.point(g, p, true, PayloadSelector.ALL, c.config().vectorName());
    }

    /** A path id of digits only is an integer id; anything else is a string id. */
    static PointId pathId(String rawId) {
        if (!rawId.isEmpty() && rawId.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            try {
                return PointId.of(Long.parseLong(rawId));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("point id " + Json.quote(rawId)
                        + " is out of range for an integer id (at most " + Long.MAX_VALUE + ")");
            }
        }
        return BodyReader.stringId(rawId, "point id");
    }

    private ResultWriter delete(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        PointRequestParser.DeleteSelector selector = pointParser.deleteSelector(body);
        int n = selector.filter() != null ? c.deleteByFilter(selector.filter(), timeout.remaining())
                : c.delete(selector.ids());
        metrics.deleted(n);
        return g -> {
            g.writeStartObject();
            g.writeStringField("status", "completed");
            g.writeNumberField("deleted", n);
            g.writeEndObject();
        };
    }

    /** Qdrant's batch update: every operation parsed, then run in order → one UpdateResult each. */
    private ResultWriter batchUpdate(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        List<BatchUpdate.Operation> operations = batches.parse(body, c, timeout);
        List<Integer> changed = new java.util.ArrayList<>(operations.size());
        for (BatchUpdate.Operation operation : operations) {
            int n = operation.run().getAsInt();
            switch (operation.kind()) {
                case "upsert" -> metrics.upserted(n);
                case "delete" -> metrics.deleted(n);
                default -> metrics.updated(n);
            }
            changed.add(n);
        }
        return g -> {
            g.writeStartArray();
            for (int n : changed) {
                JsonWriters.updateResult(g, n);
            }
            g.writeEndArray();
        };
    }

    private ResultWriter count(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        Filter filter = pointParser.countFilter(body);
        long n = filter == null ? c.count() : c.count(filter, timeout.remaining());
        return g -> {
            g.writeStartObject();
            g.writeNumberField("count", n);
            g.writeEndObject();
        };
    }

    /** Same field and schema again is a no-op (200); another schema is a conflict (409, from the engine). */
    private ResultWriter createPayloadIndex(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        CollectionRequestParser.PayloadIndexRequest request = collections.payloadIndex(body);
        c.createPayloadIndex(request.field(), request.schema(), request.isTenant());
        return g -> {
            g.writeStartObject();
            g.writeStringField("status", "completed");
            g.writeEndObject();
        };
    }

    /** Qdrant's drop of a payload index: completed whether or not the field had one (as a drop of a collection). */
    private ResultWriter deletePayloadIndex(String name, String field) {
        db.collection(name).deletePayloadIndex(field);
        return g -> JsonWriters.updateResult(g, null);
    }

    private ResultWriter search(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        SearchRequestParser.ParsedSearch search = searches.search(body, CollectionVector.of(c));
        List<ScoredPoint> hits = c.search(timeout.applyTo(search.request()));
        metrics.searched(search.request());
        return g -> JsonWriters.hits(g, hits, search.payload(), c.config().vectorName());
    }

    /** Qdrant's search groups: {@code {"groups":[{"id":..,"hits":[..]}]}}. */
    private ResultWriter searchGroups(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        SearchRequestParser.ParsedGroupSearch grouped = searches.searchGroups(body, CollectionVector.of(c));
        SearchRequest request = timeout.applyTo(grouped.search().request());
        List<PointGroup> groups = c.searchGroups(request, grouped.groupBy(), grouped.groupSize());
        metrics.searched(request);
        return g -> JsonWriters.groups(g, groups, grouped.search().payload(), c.config().vectorName());
    }

    /** Every search of the batch in turn, answered as one array of hit arrays in the same order. */
    private ResultWriter searchBatch(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        List<SearchRequestParser.ParsedSearch> requests = searches.searchBatch(body, CollectionVector.of(c));
        List<List<ScoredPoint>> answers = new java.util.ArrayList<>(requests.size());
        for (SearchRequestParser.ParsedSearch search : requests) {
            answers.add(c.search(timeout.applyTo(search.request())));
            metrics.searched(search.request());
        }
        return g -> {
            g.writeStartArray();
            for (int i = 0; i < answers.size(); i++) {
                JsonWriters.hits(g, answers.get(i), requests.get(i).payload(), c.config().vectorName());
            }
            g.writeEndArray();
        };
    }
}
