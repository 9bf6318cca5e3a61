package dev.vdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.cluster.shard.ShardStateMachine;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.PointSelector;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM: a collection of 3 shards with 2 replicas each, written and read
 * through different nodes, checked against one embedded collection holding the same points
 * (the oracle): exact search, count, filters, facets, scroll pages, get, payload updates, deletes; and
 * every replica of every shard holds the same points.
 */
class InProcessClusterTest {

    @TempDir
    static Path dir;
    static List<ClusterNode> nodes;
    static VectorDb oracleDb;
    static VectorCollection oracle;

    @BeforeAll
    static void start() {
        nodes = TestCluster.startAll(TestCluster.peers(3), dir, ClusterOptions.DEFAULT.withSnapshotEvery(50));
        oracleDb = VectorDb.open(dir.resolve("oracle"));
        oracle = oracleDb.createCollection("docs", CollectionConfig.of(8, Distance.COSINE));
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ClusterNode::close);
        oracleDb.close();
    }

    static Point point(Random r, Object id) {
        float[] v = new float[8];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        Map<String, Object> payload = Map.of("group", r.nextInt(4), "tag", "t" + r.nextInt(3));
        return id instanceof Long l ? Point.of(l, v, payload) : Point.of((String) id, v, payload);
    }

    @Test
    void shardedCollectionAnswersAsOneNodeHoldingTheSamePoints() {
        CollectionSpec spec = nodes.get(0).createCollection("docs", CollectionConfig.of(8, Distance.COSINE), 3, 2);
        assertEquals(spec, nodes.get(0).createCollection("docs", CollectionConfig.of(8, Distance.COSINE), 3, 2));
        assertThrows(dev.vdb.engine.CollectionConflictException.class,
                () -> nodes.get(1).createCollection("docs", CollectionConfig.of(8, Distance.COSINE), 2, 2));
        Random r = new Random(7);
        for (int batch = 0; batch < 12; batch++) {
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int k = batch * 25 + i;
                points.add(point(r, k % 5 == 0 ? (Object) ("doc-" + k) : (Object) (long) k));
            }
            DistributedCollection via = nodes.get(batch % 3).collection("docs").orElseThrow();
            assertEquals(points.size(), via.upsert(points));
            oracle.upsert(points);
            // read-your-writes on another node, right after the acknowledgement
            DistributedCollection other = nodes.get((batch + 1) % 3).collection("docs").orElseThrow();
            assertEquals(oracle.count(), other.count());
        }
        DistributedCollection c1 = nodes.get(1).collection("docs").orElseThrow();
        c1.createPayloadIndex("group", PayloadSchema.INTEGER);
        oracle.createPayloadIndex("group", PayloadSchema.INTEGER);
        List<PointId> gone = List.of(PointId.of(3), PointId.of("doc-10"), PointId.of(299), PointId.of(12345));
        assertEquals(oracle.delete(gone), nodes.get(2).collection("docs").orElseThrow().delete(gone));
        Filter tagged = Filter.match("tag", "t1");
        assertEquals(oracle.setPayload(PointSelector.filter(tagged), Map.of("seen", true)),
                c1.setPayload(PointSelector.filter(tagged), Map.of("seen", true)));
        assertEquals(oracle.deleteByFilter(Filter.match("group", 3)), c1.deleteByFilter(Filter.match("group", 3)));

        for (ClusterNode n : nodes) {
            DistributedCollection c = n.collection("docs").orElseThrow();
            assertEquals(oracle.count(), c.count());
            assertEquals(oracle.count(tagged), c.count(tagged));
            assertEquals(oracle.payloadIndexes(), c.payloadIndexes());
            // facets: the shards' counts add up to one node's
            assertEquals(oracle.facet("group", null, 10), c.facet("group", null, 10));
            assertEquals(oracle.facet("group", tagged, 2), c.facet("group", tagged, 2));
            Filter newer = Filter.minShould(1, Filter.valuesCount("seen", null, 1, null, null), Filter.match("group", 0));
            assertEquals(oracle.count(newer), c.count(newer));
            for (int q = 0; q < 20; q++) {
                float[] query = point(r, 0L).vector();
                Filter f = q % 2 == 0 ? null : Filter.match("seen", true);
                SearchRequest req = SearchRequest.builder().vector(query).limit(7).offset(q % 3).filter(f)
                        .params(SearchParams.EXACT).build();
                assertEquals(ids(oracle.search(req)), ids(c.search(req)));
                assertEquals(scores(oracle.search(req)), scores(c.search(req)));
            }
            assertEquals(pages(oracle, 13), pages(c, 13));
            List<PointId> ask = List.of(PointId.of(1), PointId.of("doc-5"), PointId.of(3), PointId.of(100));
            assertSamePoints(oracle.get(ask), c.get(ask));
        }
        // the index dropped through one node: every node's replicas filter without it, as one node does
        assertEquals(oracle.deletePayloadIndex("group"), c1.deletePayloadIndex("group"));
        for (ClusterNode n : nodes) {
            DistributedCollection c = n.collection("docs").orElseThrow();
            assertEquals(Map.of(), c.payloadIndexes());
            assertEquals(oracle.count(Filter.match("group", 1)), c.count(Filter.match("group", 1)));
        }
        assertReplicasIdentical(spec);
    }

    static void assertReplicasIdentical(CollectionSpec spec) {
        for (int s = 0; s < spec.shardNumber(); s++) {
            List<Point> first = null;
            for (int nodeId : spec.replicas(s, nodes.get(0).topology().nodeIds())) {
                ShardStateMachine sm = nodes.get(nodeId - 1).localReplica(spec, s);
                List<Point> all = pagePoints(sm.collection());
                if (first == null) {
                    first = all;
                } else {
                    assertEquals(first.size(), all.size(), "shard " + s + " on node " + nodeId);
                    for (int i = 0; i < all.size(); i++) {
                        assertTrue(ClusterAssertions.samePoint(first.get(i), all.get(i)),
                                "shard " + s + " on node " + nodeId + ": " + all.get(i).id());
                    }
                }
            }
        }
    }

    static void assertSamePoints(List<Point> expected, List<Point> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(ClusterAssertions.samePoint(expected.get(i), actual.get(i)), actual.get(i).toString());
        }
    }

    static List<Point> pagePoints(VectorCollection c) {
        List<Point> out = new ArrayList<>();
        ScrollRequest req = ScrollRequest.of(100).including(true, true);
        for (ScrollPage p = c.scroll(req); ; p = c.scroll(req.startingAt(p.nextOffset()))) {
            out.addAll(p.points());
            if (p.nextOffset() == null) {
                return out;
            }
        }
    }

    static List<List<Object>> pages(VectorCollection c, int limit) {
        List<List<Object>> out = new ArrayList<>();
        ScrollRequest req = ScrollRequest.of(limit);
        for (ScrollPage p = c.scroll(req); ; p = c.scroll(req.startingAt(p.nextOffset()))) {
            out.add(p.points().stream().map(x -> (Object) (x.id() + " " + x.payload())).toList());
            if (p.nextOffset() == null) {
                return out;
            }
        }
    }

    static List<PointId> ids(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::id).toList();
    }

    static List<Float> scores(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::score).toList();
    }
}
