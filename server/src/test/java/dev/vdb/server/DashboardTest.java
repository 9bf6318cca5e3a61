package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.filter.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (Debian's headless Chromium driven by playwright-core): without
 * the key the page says 401; with it, it lists the collections with their counts, browses points
 * (also through a filter), searches by point id and hybrid with the explain bars, and plots recall
 * against ef; everything it shows must equal what the Java API answers. Saves a screenshot to
 * {@code target/dashboard.png}.
 */
class DashboardTest {
    private static final String KEY = "dashboard-key";
    private static final int DIM = 8;
    private static final String[] CITIES = {"London", "Paris", "Berlin"};
    private static final String[] TEXTS = {"supersonic flow over a wedge", "laminar flow on a flat plate",
        "boundary layer of a supersonic jet", "heat transfer"};

    @TempDir
    Path dir;

    @Test
    void thePageShowsWhatTheApiAnswers() throws Exception {
        Path chromium = Chromium.require();
        Path node = NodeTools.require();
        try (VectorDb db = VectorDb.open(dir.resolve("db"))) {
            VectorCollection docs = db.createCollection("docs", CollectionConfig.of(DIM, Distance.COSINE));
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                points.add(new Point(PointId.of(i), TestPoints.vector(i, DIM), Map.of("city", CITIES[i % 3], "n", i),
                        i % 2 == 0 ? TEXTS[i % TEXTS.length] : null));
            }
            docs.upsert(points);
            db.createCollection("other", CollectionConfig.of(3, Distance.DOT)).upsert(List.of(
                    Point.of(1, new float[] {1, 0, 0})));
            VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, KEY, 1 << 20, 4));
            Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
            JsonNode report;
            try {
                report = ApiClient.MAPPER.readTree(NodeTools.run(node, 120, "node", "dashboard-check.mjs",
                        "http://127.0.0.1:" + server.address().getPort(), KEY, chromium.toString(), screenshot.toString()));
            } finally {
                server.stop(VdbServer.DEFAULT_GRACE);
            }
            assertTrue(report.get("withoutKey").asText().contains("401"), report.toString());
            assertEquals(new HashSet<>(db.collectionNames()), strings(report.get("collections")));
            assertEquals(List.of("300", "1"), orderedCounts(report, db));

            float[] three = docs.get(PointId.of(3)).orElseThrow().vector();
            assertEquals(ids(docs.scroll(ScrollRequest.of(20)).points().stream().map(Point::id).toList()),
                    list(report.get("browsed")));
            assertEquals(ids(docs.scroll(ScrollRequest.of(20).matching(Filter.match("city", "Paris"))).points().stream()
                    .map(Point::id).toList()), list(report.get("filtered")));
            assertEquals(hitIds(docs.search(SearchRequest.builder().vector(three).limit(10).explain(true).build())),
                    list(report.get("idHits")));
            List<ScoredPoint> hybrid = docs.search(SearchRequest.builder().vector(three).text("supersonic flow").limit(10)
                    .fusion(Fusion.rrf(Fusion.DEFAULT_RRF_K)).explain(true).build());
            assertEquals(hitIds(hybrid), list(report.get("hybridHits")));
            assertEquals(hybrid.size(), report.get("explainedHits").asInt(), "every hit has its explain bars");
            assertEquals(hybrid.size(), report.get("fusedBars").asInt());
            long terms = hybrid.stream().filter(h -> h.explanation().textRank() > 0)
                    .mapToLong(h -> h.explanation().terms().size()).sum();
            assertEquals(terms, report.get("termBars").size(), "one bar per BM25 term of each text hit");

            JsonNode recall = report.get("recall");
            assertEquals(5, recall.size());
            assertEquals(5, report.get("plottedPoints").asInt());
            List<Point> queries = docs.scroll(ScrollRequest.of(20).including(false, true)).points();
            for (JsonNode r : recall) {
                assertEquals(recall(docs, queries, r.get("ef").asInt()), r.get("recall").asDouble(), 1e-4,
                        "recall at ef " + r.get("ef"));
            }
            assertTrue(Files.size(screenshot) > 10_000, "screenshot saved at " + screenshot);
        }
    }

    /** Recall@10 of the index at {@code ef} against exact search, as the page computes it. */
    private static double recall(VectorCollection c, List<Point> queries, int ef) {
        int hit = 0;
        int total = 0;
        for (Point q : queries) {
            Set<PointId> truth = new HashSet<>(c.search(SearchRequest.builder().vector(q.vector()).limit(10)
                    .params(SearchParams.EXACT).withPayload(false).build()).stream().map(ScoredPoint::id).toList());
            for (ScoredPoint h : c.search(SearchRequest.builder().vector(q.vector()).limit(10)
                    .params(SearchParams.ef(ef)).withPayload(false).build())) {
                hit += truth.contains(h.id()) ? 1 : 0;
            }
            total += truth.size();
        }
        return (double) hit / total;
    }

    private static List<String> orderedCounts(JsonNode report, VectorDb db) {
        List<String> counts = new ArrayList<>();
        List<String> names = list(report.get("collections"));
        for (String name : List.of("docs", "other")) {
            counts.add(report.get("pointsCounts").get(names.indexOf(name)).asText());
            assertEquals(db.collection(name).count(), Long.parseLong(counts.get(counts.size() - 1)));
        }
        return counts;
    }

    private static List<String> hitIds(List<ScoredPoint> hits) {
        return ids(hits.stream().map(ScoredPoint::id).toList());
    }

    private static List<String> ids(List<PointId> ids) {
        return ids.stream().map(id -> String.valueOf(((PointId.Num) id).id())).toList();
    }

    private static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Set<String> strings(JsonNode array) {
        return new HashSet<>(list(array));
    }
}
