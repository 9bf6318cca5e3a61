package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.vdb.engine.filter.Filter;
import dev.vdb.index.text.Analyzer;
import dev.vdb.testkit.lucene.LuceneBm25;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BM25 through the embedded API: equal to Lucene's BM25 (EnglishAnalyzer, k1 1.2, b 0.75) for
 * every Cranfield query, statistics and scores after deletes, vector changes, text changes and
 * re-adds equal to a fresh collection's, texts that survive a reopen, and the text index
 * following each point's live ordinal, and filters restricting text and hybrid hits. Generated texts replace Cranfield when it is missing (off CI).
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class TextSearchTest {

    static final int DIM = 8;
    static final HnswConfig CHEAP_GRAPH = new HnswConfig(4, 8);
    static final CollectionConfig CONFIG = new CollectionConfig(DIM, Distance.COSINE, CHEAP_GRAPH, TextConfig.DEFAULT);
    private static final int K = 100;
    private static final TextCorpus CORPUS = TextCorpus.load();

    @TempDir
    Path dir;

    static Point point(long id, String text) {
        return new Point(PointId.of(id), TextCorpus.vectorOf(id, DIM), null, text);
    }

    static List<Point> corpusPoints() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < CORPUS.docs().size(); i++) {
            points.add(point(i, CORPUS.docs().get(i)));
        }
        return points;
    }

    static List<ScoredPoint> textSearch(VectorCollection c, String text, int k) {
        return c.search(SearchRequest.ofText(text, k).toBuilder().withPayload(false).withVector(false).build());
    }

    @Test
    void bm25EqualsLuceneForEveryQuery() throws Exception {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000));
                LuceneBm25 lucene = new LuceneBm25("english", CORPUS.docs(), 1.2f, 0.75f)) {
            VectorCollection c = db.createCollection("cranfield", CONFIG);
            c.upsert(corpusPoints()); // ordinal i = point i = Lucene doc i, so ties order alike
            int compared = 0;
            for (String query : CORPUS.queries()) {
                ScoreDoc[] expected = lucene.search(query, K).scoreDocs;
                List<ScoredPoint> got = textSearch(c, query, K);
                assertEquals(expected.length, got.size(), query);
                for (int r = 0; r < expected.length; r++) {
                    assertEquals(PointId.of(expected[r].doc), got.get(r).id(), "rank " + r + " of '" + query + "'");
                    assertEquals(expected[r].score, got.get(r).score(), 1e-4 * Math.abs(expected[r].score),
                            "score at rank " + r + " of '" + query + "'");
                    compared++;
                }
            }
            assertTrue(compared > CORPUS.queries().size() * 10, CORPUS.source() + ": only " + compared + " hits compared");
        }
    }

    @Test
    void statisticsAfterDeletesUpdatesAndReAddsEqualAFreshCollection() {
        int n = CORPUS.docs().size();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
            VectorCollection churned = db.createCollection("churned", CONFIG);
            churned.upsert(corpusPoints());
            List<PointId> deleted = new ArrayList<>();
            List<Point> changes = new ArrayList<>();
            Map<Long, Point> finalPoints = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String text = CORPUS.docs().get(i);
                Point end = switch (i % 5) {
                    case 0 -> { // deleted, then added back below
                        deleted.add(PointId.of(i));
                        yield point(i, text);
                    }
                    case 1 -> { // a new vector: a new ordinal, the same text
                        Point p = new Point(PointId.of(i), TextCorpus.vectorOf(i + 1_000_000L, DIM), null, text);
                        changes.add(p);
                        yield p;
                    }
                    case 2 -> { // the same vector (ordinal kept), another text
                        Point p = point(i, CORPUS.docs().get((i + 7) % n));
                        changes.add(p);
                        yield p;
                    }
                    case 3 -> { // the same vector, the text removed
                        Point p = point(i, null);
                        changes.add(p);
                        yield p;
                    }
                    default -> point(i, text);
                };
                finalPoints.put((long) i, end);
            }
            assertEquals(deleted.size(), churned.delete(deleted));
            churned.upsert(changes);
            List<Point> readded = new ArrayList<>();
            for (PointId id : deleted.reversed()) {
                readded.add(finalPoints.get(((PointId.Num) id).id()));
            }
            churned.upsert(readded);

            VectorCollection fresh = db.createCollection("fresh", CONFIG);
            List<Point> shuffled = new ArrayList<>(finalPoints.values());
            Collections.shuffle(shuffled, new Random(3));
            fresh.upsert(shuffled);

            assertEquals(fresh.diagnostics().textDocuments(), churned.diagnostics().textDocuments());
            assertEquals(n - n / 5, churned.diagnostics().textDocuments(), "points with a text");
            // BM25 scores depend on every statistic (document count, lengths, document frequencies)
            for (String query : CORPUS.queries()) {
                assertSameScores(textSearch(fresh, query, K), textSearch(churned, query, K), query);
            }
        }
    }

    /**
     * Same scores rank by rank and the same score for every id in both lists (ordinals differ
     * between the two collections, so equal scores may come in another order).
     */
    private static void assertSameScores(List<ScoredPoint> expected, List<ScoredPoint> got, String query) {
        assertEquals(expected.size(), got.size(), query);
        Map<PointId, Float> byId = new HashMap<>();
        for (int r = 0; r < expected.size(); r++) {
            assertEquals(expected.get(r).score(), got.get(r).score(), "rank " + r + " of '" + query + "'");
            byId.put(expected.get(r).id(), expected.get(r).score());
        }
        for (ScoredPoint hit : got) {
            Float score = byId.get(hit.id());
            if (score != null) {
                assertEquals(score, hit.score(), hit.id() + " for '" + query + "'");
            }
        }
    }

    @Test
    void textsSurviveReopen() {
        Map<String, List<ScoredPoint>> before = new HashMap<>();
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("kept", CONFIG);
            c.upsert(corpusPoints());
            c.delete(List.of(PointId.of(1), PointId.of(2), PointId.of(3)));
            c.upsert(List.of(point(4, null), point(5, "a new text about boundary layers")));
            for (String query : CORPUS.queries()) {
                before.put(query, textSearch(c, query, 20));
            }
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("kept");
            assertEquals(null, c.diagnostics().textIndexRecovery(), "a clean close leaves a snapshot to load");
            for (String query : CORPUS.queries()) {
                List<ScoredPoint> expected = before.get(query);
                List<ScoredPoint> got = textSearch(c, query, 20);
                assertEquals(expected.stream().map(ScoredPoint::id).toList(), got.stream().map(ScoredPoint::id).toList(), query);
                for (int r = 0; r < expected.size(); r++) {
                    assertEquals(expected.get(r).score(), got.get(r).score(), query);
                }
            }
            assertEquals(PointId.of(5), textSearch(c, "a new text about boundary layers", 1).get(0).id());
        }
    }

    @Test
    void aStaleOrDamagedSnapshotIsNeverUsed() throws Exception {
        Path snapshot;
        Path stale = dir.resolve("stale.bm25");
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("snap", CONFIG);
            c.upsert(List.of(point(1, "supersonic wing"), point(2, "laminar flow")));
        }
        try (Stream<Path> files = Files.list(dir.resolve("text"))) {
            snapshot = files.filter(f -> f.toString().endsWith(".bm25")).findFirst().orElseThrow();
        }
        Files.copy(snapshot, stale);
        try (VectorDb db = VectorDb.open(dir)) {
            // the same vector keeps the ordinal: only the text changes
            db.collection("snap").upsert(List.of(point(1, "hypersonic wing")));
        }
        Files.copy(stale, snapshot, StandardCopyOption.REPLACE_EXISTING); // the older snapshot, checksum intact
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("snap");
            assertTrue(c.diagnostics().textIndexRecovery().contains("recorded"), c.diagnostics().textIndexRecovery());
            assertEquals(List.of(PointId.of(1)), ids(textSearch(c, "hypersonic", 10)));
            assertEquals(List.of(), textSearch(c, "supersonic", 10));
        }
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 1;
        Files.write(snapshot, bytes); // a flipped bit, length and trailer intact
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("snap");
            assertTrue(c.diagnostics().textIndexRecovery().contains("checksum"), c.diagnostics().textIndexRecovery());
            assertEquals(List.of(PointId.of(1)), ids(textSearch(c, "hypersonic", 10)));
        }
        Files.delete(snapshot);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("snap");
            assertTrue(c.diagnostics().textIndexRecovery().contains("unusable"), c.diagnostics().textIndexRecovery());
            assertEquals(2, c.diagnostics().textDocuments());
        }
    }

    @Test
    void theTextFollowsTheLiveOrdinal() {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000))) {
            VectorCollection c = db.createCollection("moves", CONFIG);
            c.upsert(List.of(point(1, "zebra crossing"), point(2, "lion"), point(3, "tiger")));
            // same vector, new text: the ordinal is kept and its text replaced
            c.upsert(List.of(point(1, "giraffe crossing")));
            assertEquals(List.of(), textSearch(c, "zebra", 10));
            assertEquals(List.of(PointId.of(1)), ids(textSearch(c, "giraffe", 10)));
            // new vector, same id: the text moves to the new ordinal
            c.upsert(List.of(new Point(PointId.of(2), TextCorpus.vectorOf(99, DIM), null, "lion king")));
            assertEquals(List.of(PointId.of(2)), ids(textSearch(c, "lion", 10)));
            // re-upserted without text: gone from text search, still a point
            c.upsert(List.of(point(3, null)));
            assertEquals(List.of(), textSearch(c, "tiger", 10));
            assertEquals(3, c.count());
            assertEquals(2, c.diagnostics().textDocuments());
            c.delete(List.of(PointId.of(1)));
            assertEquals(List.of(), textSearch(c, "crossing", 10));
            assertEquals(1, c.diagnostics().textDocuments());
        }
    }

    @Test
    void queryTextIsValidatedAndCollectionsWithoutTextsFindNothing() {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 1_000))) {
            VectorCollection c = db.createCollection("plain", CONFIG);
            c.upsert(List.of(point(1, null), point(2, null)));
            assertEquals(List.of(), textSearch(c, "anything at all", 10));
            for (String blank : List.of("", "   ", "\t\n")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> textSearch(c, blank, 10));
                assertTrue(e.getMessage().startsWith("text must not be blank"), e.getMessage());
            }
            // only stop words: a valid query that matches nothing
            c.upsert(List.of(point(3, "the wind tunnel")));
            assertEquals(List.of(), textSearch(c, "the and of", 10));
            ScoredPoint hit = c.search(SearchRequest.ofText("tunnels", 5)).get(0);
            assertEquals(PointId.of(3), hit.id());
            assertTrue(hit.payload() != null && hit.explanation() == null);
        }
    }

    @Test
    void offsetSkipsTheFirstHits() {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
            VectorCollection c = db.createCollection("paged", CONFIG);
            c.upsert(corpusPoints());
            String query = CORPUS.queries().get(0);
            List<ScoredPoint> all = textSearch(c, query, 30);
            List<ScoredPoint> page = c.search(SearchRequest.ofText(query, 10).toBuilder().offset(20).withPayload(false).withVector(false).build());
            assertEquals(ids(all.subList(20, 30)), ids(page));
        }
    }

    @Test
    void filtersApplyToTextAndHybridSearch() throws Exception {
        int n = CORPUS.docs().size();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000));
                LuceneBm25 lucene = new LuceneBm25("english", CORPUS.docs(), 1.2f, 0.75f)) {
            VectorCollection c = db.createCollection("filtered", CONFIG);
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                points.add(new Point(PointId.of(i), TextCorpus.vectorOf(i, DIM),
                        Map.of("group", i % 3), CORPUS.docs().get(i)));
            }
            c.upsert(points);
            Filter groupZero = Filter.match("group", 0);
            for (boolean indexed : new boolean[] {false, true}) {
                if (indexed) {
                    c.createPayloadIndex("group", PayloadSchema.INTEGER);
                }
                for (int q = 0; q < CORPUS.queries().size(); q += 5) {
                    String query = CORPUS.queries().get(q);
                    // Lucene's whole ranking restricted to the matching points is the oracle
                    List<PointId> expected = new ArrayList<>();
                    for (ScoreDoc doc : lucene.search(query, n).scoreDocs) {
                        if (doc.doc % 3 == 0 && expected.size() < 20) {
                            expected.add(PointId.of(doc.doc));
                        }
                    }
                    List<ScoredPoint> got = c.search(SearchRequest.ofText(query, 20).toBuilder().filter(groupZero).build()
                            .toBuilder().withPayload(false).withVector(false).build());
                    assertEquals(expected, ids(got), "filtered '" + query + "', payload index " + indexed);
                    List<ScoredPoint> hybrid = c.search(SearchRequest.builder().vector(TextCorpus.vectorOf(-q, DIM)).text(query).filter(groupZero).limit(20).fusion(Fusion.weighted(0.5f)).build());
                    assertEquals(20, hybrid.size());
                    for (ScoredPoint hit : hybrid) {
                        assertEquals(0, hit.payload().get("group"), "hybrid hit " + hit.id() + " for '" + query + "'");
                    }
                }
            }
        }
    }

    static List<PointId> ids(List<ScoredPoint> hits) {
        return hits.stream().map(ScoredPoint::id).toList();
    }
}
