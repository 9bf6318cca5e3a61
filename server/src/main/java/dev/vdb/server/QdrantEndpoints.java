package dev.vdb.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.AliasChange;
import dev.vdb.engine.FacetHit;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointGroup;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The endpoints that follow Qdrant's REST API beyond the contract's own: collection exists and
 * update, aliases, scroll, payload and vector updates, recommend and the Query API. Each
 * parses its body ({@link QdrantPointRequests}, {@link QueryRequests}), calls the engine and returns the {@code result} in
 * Qdrant's shape. Thread-safe (the engine is).
 */
final class QdrantEndpoints {
    private final VectorDb db;
    private final TreeReader reader;
    private final QdrantPointRequests parser;
    private final ServerMetrics metrics;

    QdrantEndpoints(VectorDb db, ObjectMapper mapper, ServerMetrics metrics) {
        this.db = db;
        this.reader = new TreeReader(mapper);
        this.parser = new QdrantPointRequests(mapper);
        this.metrics = metrics;
    }

    /** A collection or an alias of that name exists (as Qdrant, which resolves the alias). */
    ResultWriter exists(String name) {
        boolean exists = db.collectionNames().contains(name) || db.aliases().containsKey(name);
        return g -> {
            g.writeStartObject();
            g.writeBooleanField("exists", exists);
            g.writeEndObject();
        };
    }

    /** Every alias, or those of one collection (named, or by one of its aliases). */
    ResultWriter aliases(String name) {
        String collection = name == null ? null : db.collection(name).name(); // 404 for a missing collection
        List<Map.Entry<String, String>> listed = db.aliases().entrySet().stream()
                .filter(e -> collection == null || e.getValue().equals(collection)).toList();
        return g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("aliases");
            for (Map.Entry<String, String> e : listed) {
                g.writeStartObject();
                g.writeStringField("alias_name", e.getKey());
                g.writeStringField("collection_name", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    /**
     * Qdrant's {@code {"actions":[{"create_alias":{"collection_name","alias_name"}},
     * {"delete_alias":{"alias_name"}}, {"rename_alias":{"old_alias_name","new_alias_name"}}]}},
     * applied as one atomic switch.
     */
    ResultWriter updateAliases(InputStream body) throws IOException {
        ObjectNode b = reader.object(body);
        TreeReader.onlyFields(b, "", Set.of("actions"));
        JsonNode actions = TreeReader.get(b, "actions");
        if (actions == null || !actions.isArray()) {
            throw new IllegalArgumentException("actions must be an array of create_alias, delete_alias, rename_alias, got "
                    + TreeReader.show(actions));
        }
        List<AliasChange> changes = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            String at = "actions[" + i + "]";
            ObjectNode action = TreeReader.object(actions.get(i), at);
            if (action.size() != 1) {
                throw new IllegalArgumentException(at + " must hold exactly one of create_alias, delete_alias, rename_alias");
            }
            String kind = action.fieldNames().next();
            ObjectNode a = TreeReader.object(action.get(kind), at + "." + kind);
            String in = at + "." + kind + ".";
            changes.add(switch (kind) {
                case "create_alias" -> {
                    TreeReader.onlyFields(a, in, Set.of("collection_name", "alias_name"));
                    yield AliasChange.create(text(a, in, "alias_name"), text(a, in, "collection_name"));
                }
                case "delete_alias" -> {
                    TreeReader.onlyFields(a, in, Set.of("alias_name"));
                    yield AliasChange.delete(text(a, in, "alias_name"));
                }
                case "rename_alias" -> {
                    TreeReader.onlyFields(a, in, Set.of("old_alias_name", "new_alias_name"));
                    yield AliasChange.rename(text(a, in, "old_alias_name"), text(a, in, "new_alias_name"));
                }
                default -> throw new IllegalArgumentException(at + " must be create_alias, delete_alias or rename_alias, got "
                        + Json.quote(kind));
            });
        }
        db.updateAliases(changes);
        return g -> g.writeBoolean(true);
    }

    private static String text(ObjectNode node, String at, String field) {
        return TreeReader.string(TreeReader.get(node, field), at + field);
    }

    ResultWriter updateCollection(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        ObjectNode b = reader.object(body);
        TreeReader.onlyFields(b, "", Set.of("hnsw_config", "quantization_config"));
        if (b.has("hnsw_config")) {
            checkHnswUnchanged(c, TreeReader.object(b.get("hnsw_config"), "hnsw_config"));
        }
        if (b.has("quantization_config")) {
            c.updateQuantization(QuantizationJson.config(b.get("quantization_config"), true));
        }
        return g -> g.writeBoolean(true);
    }

    private static void checkHnswUnchanged(VectorCollection c, ObjectNode hnsw) throws IOException {
        HnswConfig now = c.config().hnsw();
        HnswConfig asked;
        try (JsonParser p = hnsw.traverse()) {
            p.nextToken();
            asked = CollectionRequestParser.hnswFields(p, "hnsw_config").over(now);
        }
        if (!asked.equals(now)) {
            throw new IllegalArgumentException("hnsw_config cannot change on an existing collection (it has m " + now.m()
                    + ", ef_construct " + now.efConstruct() + ", asked m " + asked.m() + ", ef_construct "
                    + asked.efConstruct() + "): create a new collection with the new parameters");
        }
    }

    ResultWriter scroll(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        QdrantPointRequests.Scroll scroll = parser.scroll(reader.object(body), CollectionVector.of(c));
        ScrollPage page = c.scroll(scroll.request());
        boolean withVector = scroll.request().withVector();
        return g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("points");
            for (int i = 0; i < page.points().size(); i++) {
                JsonWriters.point(g, page.points().get(i), withVector, scroll.payload(), c.config().vectorName(),
                        page.orderValues() == null ? null : page.orderValues().get(i));
            }
            g.writeEndArray();
            g.writeFieldName("next_page_offset");
            if (page.nextOffset() == null) {
                g.writeNull();
            } else {
                JsonWriters.id(g, page.nextOffset());
            }
            g.writeEndObject();
        };
    }

    ResultWriter setPayload(String name, InputStream body, boolean overwrite) throws IOException {
        VectorCollection c = db.collection(name);
        QdrantPointRequests.PayloadUpdate u = parser.payloadUpdate(reader.object(body));
        return updated(overwrite ? c.overwritePayload(u.points(), u.payload()) : c.setPayload(u.points(), u.payload()));
    }

    ResultWriter deletePayload(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        QdrantPointRequests.PayloadKeys k = parser.payloadKeys(reader.object(body));
        return updated(c.deletePayloadKeys(k.points(), k.keys()));
    }

    ResultWriter clearPayload(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        ObjectNode b = reader.object(body);
        TreeReader.onlyFields(b, "", Set.of("points", "filter"));
        return updated(c.clearPayload(parser.selector(b, "")));
    }

    ResultWriter updateVectors(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        Map<PointId, float[]> vectors = parser.vectors(reader.object(body), CollectionVector.of(c));
        return updated(c.updateVectors(vectors));
    }

    /** A point here has exactly one vector, which cannot be removed from it. */
    ResultWriter deleteVectors(String name) {
        throw vectorsCannotBeDeleted(db.collection(name));
    }

    /** Why {@code delete_vectors} is refused, here and in a batch update. */
    static IllegalArgumentException vectorsCannotBeDeleted(VectorCollection c) {
        return new IllegalArgumentException("vectors cannot be deleted: a point here has " + CollectionVector.of(c).describe()
                + ", which it cannot be without; delete the point instead (POST /collections/" + c.name()
                + "/points/delete)");
    }

    ResultWriter recommend(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        QueryRequests.QueryRequest q = QueryRequests.recommend(reader.object(body), "", CollectionVector.of(c));
        List<ScoredPoint> hits = new QueryRunner(c, timeout, db::collection).run(q);
        return g -> JsonWriters.hits(g, hits, q.payload(), c.config().vectorName());
    }

    ResultWriter recommendBatch(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        List<QueryRequests.QueryRequest> requests = QueryRequests.batch(reader.object(body), CollectionVector.of(c), true);
        List<List<ScoredPoint>> answers = new ArrayList<>();
        for (QueryRequests.QueryRequest q : requests) {
            answers.add(new QueryRunner(c, timeout, db::collection).run(q));
        }
        return g -> {
            g.writeStartArray();
            for (int i = 0; i < answers.size(); i++) {
                JsonWriters.hits(g, answers.get(i), requests.get(i).payload(), c.config().vectorName());
            }
            g.writeEndArray();
        };
    }

    ResultWriter query(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        QueryRequests.QueryRequest q = QueryRequests.query(reader.object(body), "", CollectionVector.of(c));
        List<ScoredPoint> hits = new QueryRunner(c, timeout, db::collection).run(q);
        return g -> points(g, hits, q.payload(), c.config().vectorName());
    }

    ResultWriter queryBatch(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        List<QueryRequests.QueryRequest> requests = QueryRequests.batch(reader.object(body), CollectionVector.of(c), false);
        List<List<ScoredPoint>> answers = new ArrayList<>();
        for (QueryRequests.QueryRequest q : requests) {
            answers.add(new QueryRunner(c, timeout, db::collection).run(q));
        }
        return g -> {
            g.writeStartArray();
            for (int i = 0; i < answers.size(); i++) {
                points(g, answers.get(i), requests.get(i).payload(), c.config().vectorName());
            }
            g.writeEndArray();
        };
    }

    /** Qdrant's query groups: {@code {"groups":[{"id":..,"hits":[..]}]}}. */
    ResultWriter queryGroups(String name, InputStream body, RequestTimeout timeout) throws IOException {
        VectorCollection c = db.collection(name);
        QueryRequests.QueryGroups q = QueryRequests.queryGroups(reader.object(body), CollectionVector.of(c));
        List<PointGroup> groups = new QueryRunner(c, timeout, db::collection).groups(q.request(), q.groupBy(), q.groupSize());
        return g -> JsonWriters.groups(g, groups, q.request().payload(), c.config().vectorName());
    }

    /**
     * Qdrant's facet: {@code {"key":"city","filter":{..},"limit":10,"exact":true}} → {@code
     * {"hits":[{"value":"London","count":12}]}}; counts are always exact here, so {@code exact}
     * may be either.
     */
    ResultWriter facet(String name, InputStream body) throws IOException {
        VectorCollection c = db.collection(name);
        ObjectNode b = reader.object(body);
        TreeReader.onlyFields(b, "", Set.of("key", "filter", "limit", "exact", "shard_key"));
        TreeReader.noShardKey(b, "");
        if (TreeReader.get(b, "key") == null) {
            throw new IllegalArgumentException("key is missing (the payload field whose values are counted)");
        }
        String key = TreeReader.string(TreeReader.get(b, "key"), "key");
        int limit = TreeReader.get(b, "limit") == null ? 10
                : TreeReader.intIn(TreeReader.get(b, "limit"), "limit", 1, SearchRequest.MAX_LIMIT);
        if (TreeReader.get(b, "exact") != null) {
            TreeReader.bool(TreeReader.get(b, "exact"), "exact");
        }
        List<FacetHit> hits = c.facet(key, TreeReader.filter(b, "filter"), limit);
        return g -> JsonWriters.facet(g, hits);
    }

    /** The Query API's answer: {@code {"points":[hits]}}. */
    private static void points(com.fasterxml.jackson.core.JsonGenerator g, List<ScoredPoint> hits,
                               PayloadSelector payload, String vectorName) throws IOException {
        g.writeStartObject();
        g.writeFieldName("points");
        JsonWriters.hits(g, hits, payload, vectorName);
        g.writeEndObject();
    }

    /** Qdrant's UpdateResult, with how many points changed. */
    private ResultWriter updated(int points) {
        metrics.updated(points);
        return g -> JsonWriters.updateResult(g, points);
    }
}
