package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.VectorDb;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filters, payload indexes, count and delete by filter, full-text (BM25) and hybrid search with
 * explain, over a real {@link java.net.http.HttpClient} against a server on an ephemeral port.
 * Oracles: each filter evaluated here in plain Java on the payloads as written (a reading of
 * the contract independent of the engine's), brute-force cosine ranking, Lucene's BM25 over the
 * same texts, and RRF / weighted fusion computed from those two rankings.
 */
class HttpQueryApiTest {
    private static final int DIM = 8;
    private static final int N = 400;
    private static final String[] CITIES = {"London", "Paris", "Berlin", "Rome"};

    @TempDir
    static Path dir;
    private static VectorDb db;
    private static VdbServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws IOException {
        db = VectorDb.open(dir.resolve("db"));
        server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2));
        api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            assertTrue(server.stop(VdbServer.DEFAULT_GRACE), "no request left running");
        }
        if (db != null) {
            db.close();
        }
    }

    /** A point's payload as written: year is absent for about one point in ten. */
    record Doc(long id, String city, Integer year, double price, List<String> tags, boolean inStock, String zip) {
        static Doc of(long id) {
            SplittableRandom r = new SplittableRandom(id * 31 + 5);
            List<String> tags = new ArrayList<>();
            for (String tag : List.of("red", "green", "blue")) {
                if (r.nextInt(10) < 4) {
                    tags.add(tag);
                }
            }
            return new Doc(id, CITIES[r.nextInt(CITIES.length)], r.nextInt(10) == 0 ? null : 1950 + r.nextInt(40),
                    r.nextInt(10_000) / 100.0, tags, r.nextBoolean(), "Z" + r.nextInt(10));
        }

        Map<String, Object> payload() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("city", city);
            if (year != null) {
                p.put("year", year);
            }
            p.put("price", price);
            p.put("tags", tags);
            p.put("in_stock", inStock);
            p.put("address", Map.of("zip", zip));
            return p;
        }
    }

    /** A filter as JSON and what it means, written out by hand. */
    record FilterCase(String json, Predicate<Doc> oracle) {}

    private static final List<FilterCase> FILTERS = List.of(
            new FilterCase("{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\"London\"}}]}",
                    d -> d.city().equals("London")),
            new FilterCase("{\"must\":[{\"key\":\"year\",\"range\":{\"gte\":1960,\"lt\":1970}}]}",
                    d -> d.year() != null && d.year() >= 1960 && d.year() < 1970),
            new FilterCase("{\"should\":[{\"key\":\"city\",\"match\":{\"value\":\"Paris\"}},"
                    + "{\"key\":\"in_stock\",\"match\":{\"value\":true}}]}",
                    d -> d.city().equals("Paris") || d.inStock()),
            new FilterCase("{\"must_not\":[{\"key\":\"city\",\"match\":{\"any\":[\"London\",\"Rome\"]}}]}",
                    d -> !d.city().equals("London") && !d.city().equals("Rome")),
            new FilterCase("{\"must\":[{\"key\":\"tags\",\"match\":{\"value\":\"red\"}},"
                    + "{\"key\":\"price\",\"range\":{\"lte\":50.5}}]}",
                    d -> d.tags().contains("red") && d.price() <= 50.5),
            new FilterCase("{\"must\":[{\"key\":\"address.zip\",\"match\":{\"except\":[\"Z1\",\"Z2\"]}}]}",
                    d -> !d.zip().equals("Z1") && !d.zip().equals("Z2")),
            new FilterCase("{\"must\":[{\"is_empty\":{\"key\":\"year\"}}]}", d -> d.year() == null),
            new FilterCase("{\"must\":[{\"has_id\":[1,2,3,4,5,6,7,5000]},"
                    + "{\"must_not\":[{\"key\":\"city\",\"match\":{\"value\":\"Berlin\"}}]}]}",
                    d -> d.id() >= 1 && d.id() <= 7 && !d.city().equals("Berlin")),
            new FilterCase("{\"must\":[{\"key\":\"no_such_key\",\"match\":{\"value\":\"x\"}}]}", d -> false),
            new FilterCase("{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\"London\"}},"
                    + "{\"key\":\"year\",\"range\":{\"gt\":1985}},{\"key\":\"in_stock\",\"match\":{\"value\":false}}]}",
                    d -> d.city().equals("London") && d.year() != null && d.year() > 1985 && !d.inStock()),
            new FilterCase("{\"must\":[{\"key\":\"tags\",\"match\":{\"any\":[\"green\",\"blue\"]}}],"
                    + "\"must_not\":[{\"key\":\"year\",\"range\":{\"lt\":1980}}]}",
                    d -> (d.tags().contains("green") || d.tags().contains("blue")) && !(d.year() != null && d.year() < 1980)));

    private static ApiClient.Reply ok(ApiClient.Reply r) {
        assertEquals(200, r.status(), r.body());
        assertEquals("ok", r.json().get("status").asText(), r.body());
        return r;
    }

    private static void createCollection(String name, int size) throws Exception {
        ok(api.send("PUT", "collections/" + name,
                ApiClient.json(Map.of("vectors", Map.of("size", size, "distance", "Cosine")))));
    }

    private static List<Doc> upsertDocs(String collection, int n) throws Exception {
        List<Doc> docs = new ArrayList<>();
        List<Map<String, Object>> points = new ArrayList<>();
        for (long id = 0; id < n; id++) {
            Doc d = Doc.of(id);
            docs.add(d);
            points.add(TestPoints.point(id, DIM, d.payload()));
        }
        ok(api.send("PUT", "collections/" + collection + "/points", ApiClient.json(Map.of("points", points))));
        return docs;
    }

    @Test
    void filteredSearchAndCountMatchBruteForceWithAndWithoutPayloadIndexes() throws Exception {
        createCollection("catalog", DIM);
        List<Doc> docs = upsertDocs("catalog", N);
        checkFilters(docs, "scanning payloads");

        Map<String, String> schemas = Map.of("city", "keyword", "year", "integer", "price", "float",
                "in_stock", "bool", "tags", "keyword", "address.zip", "keyword");
        for (Map.Entry<String, String> s : schemas.entrySet()) {
            ok(api.send("PUT", "collections/catalog/index",
                    ApiClient.json(Map.of("field_name", s.getKey(), "field_schema", s.getValue()))));
        }
        JsonNode payloadSchema = ok(api.send("GET", "collections/catalog", null)).result().get("payload_schema");
        assertEquals(schemas.size(), payloadSchema.size(), payloadSchema.toString());
        schemas.forEach((field, schema) -> assertEquals(schema, payloadSchema.at("/" + field + "/data_type").asText(),
                payloadSchema.toString()));
        checkFilters(docs, "with payload indexes");
    }

    private static void checkFilters(List<Doc> docs, String how) throws Exception {
        int found = 0;
        int wanted = 0;
        for (int c = 0; c < FILTERS.size(); c++) {
            FilterCase f = FILTERS.get(c);
            String label = how + ", filter " + f.json();
            List<Doc> matching = docs.stream().filter(f.oracle()).toList();
            Set<Long> matchingIds = new HashSet<>();
            matching.forEach(d -> matchingIds.add(d.id()));

            assertEquals(matching.size(), ok(api.send("POST", "collections/catalog/points/count",
                    "{\"filter\":" + f.json() + "}")).result().get("count").asLong(), "count, " + label);

            float[] query = TestPoints.vector(10_000 + c, DIM);
            List<Long> expected = bruteForce(query, matchingIds, 10);
            JsonNode exact = ok(api.send("POST", "collections/catalog/points/search", "{\"vector\":"
                    + ApiClient.json(query) + ",\"filter\":" + f.json() + ",\"limit\":10,\"params\":{\"exact\":true}}"))
                    .result();
            assertEquals(expected, ids(exact), "exact top 10, " + label);
            for (JsonNode hit : exact) {
                Doc d = docs.get((int) hit.get("id").asLong());
                assertEquals(d.city(), hit.at("/payload/city").asText(), "payload comes with the hit");
            }
            JsonNode paged = ok(api.send("POST", "collections/catalog/points/search", "{\"vector\":"
                    + ApiClient.json(query) + ",\"filter\":" + f.json()
                    + ",\"limit\":5,\"offset\":5,\"params\":{\"exact\":true}}")).result();
            assertEquals(expected.subList(Math.min(5, expected.size()), expected.size()), ids(paged), "offset, " + label);

            for (String strategy : List.of("auto", "pre", "post")) {
                JsonNode hits = ok(api.send("POST", "collections/catalog/points/search", "{\"vector\":"
                        + ApiClient.json(query) + ",\"filter\":" + f.json()
                        + ",\"limit\":10,\"params\":{\"hnsw_ef\":64,\"filter_strategy\":\"" + strategy + "\"}}"))
                        .result();
                List<Long> got = ids(hits);
                assertEquals(expected.size(), got.size(), strategy + ": as many hits as match, up to limit, " + label);
                assertEquals(got.size(), new HashSet<>(got).size(), "no duplicates: " + got);
                for (long id : got) {
                    assertTrue(matchingIds.contains(id), strategy + ": hit " + id + " does not match, " + label);
                }
                found += (int) got.stream().filter(expected::contains).count();
                wanted += expected.size();
            }
        }
        assertTrue(found >= 0.9 * wanted, how + ": filtered index recall@10 " + found + "/" + wanted);
    }

    @Test
    void deleteByFilterRemovesExactlyTheMatchingPoints() throws Exception {
        createCollection("purge", DIM);
        List<Doc> docs = upsertDocs("purge", 200);
        String filter = "{\"should\":[{\"key\":\"city\",\"match\":{\"value\":\"Rome\"}},"
                + "{\"key\":\"year\",\"range\":{\"lt\":1960}}]}";
        Predicate<Doc> doomed = d -> d.city().equals("Rome") || (d.year() != null && d.year() < 1960);
        List<Long> survivors = docs.stream().filter(doomed.negate()).map(Doc::id).toList();

        JsonNode deleted = ok(api.send("POST", "collections/purge/points/delete", "{\"filter\":" + filter + "}")).result();
        assertEquals("completed", deleted.get("status").asText());
        assertEquals(200 - survivors.size(), deleted.get("deleted").asInt());
        assertEquals(survivors.size(), ok(api.send("POST", "collections/purge/points/count", "{}")).result()
                .get("count").asLong());
        assertEquals(0, ok(api.send("POST", "collections/purge/points/count", "{\"filter\":" + filter + "}")).result()
                .get("count").asLong());
        assertEquals(0, ok(api.send("POST", "collections/purge/points/delete", "{\"filter\":" + filter + "}")).result()
                .get("deleted").asInt(), "nothing left to delete");

        JsonNode all = ok(api.send("POST", "collections/purge/points",
                ApiClient.json(Map.of("ids", LongStream.range(0, 200).boxed().toList())))).result();
        assertEquals(survivors, ids(all), "exactly the non-matching points remain");
        for (JsonNode p : all) {
            assertEquals(ApiClient.MAPPER.valueToTree(docs.get((int) p.get("id").asLong()).payload()), p.get("payload"));
        }
        long gone = docs.stream().filter(doomed).findFirst().orElseThrow().id();
        assertEquals(404, api.send("GET", "collections/purge/points/" + gone, null).status());
        JsonNode top = ok(api.send("POST", "collections/purge/points/search", "{\"vector\":"
                + ApiClient.json(TestPoints.vector(gone, DIM)) + ",\"limit\":20}")).result();
        for (long id : ids(top)) {
            assertTrue(survivors.contains(id), "search returns deleted point " + id);
        }
    }

    @Test
    void payloadIndexIsIdempotentAndRejectsAnotherSchema() throws Exception {
        createCollection("indexed", DIM);
        JsonNode created = ok(api.send("PUT", "collections/indexed/index",
                "{\"field_name\":\"city\",\"field_schema\":\"keyword\"}")).result();
        assertEquals("completed", created.get("status").asText());
        ok(api.send("PUT", "collections/indexed/index", "{\"field_name\":\"city\",\"field_schema\":\"keyword\"}"));

        ApiClient.Reply conflict = api.send("PUT", "collections/indexed/index",
                "{\"field_name\":\"city\",\"field_schema\":\"integer\"}");
        assertEquals(409, conflict.status(), conflict.body());
        assertTrue(conflict.error().contains("city"), conflict.body());
        assertEquals(409, api.send("PUT", "collections/indexed/index",
                "{\"field_name\":\"city\",\"field_schema\":\"geo\"}").status(), "another kind of index on the field");
        ApiClient.Reply bad = api.send("PUT", "collections/indexed/index",
                "{\"field_name\":\"city\",\"field_schema\":\"text\"}");
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.error().contains("field_schema") && bad.error().contains("text"), bad.body());

        JsonNode info = ok(api.send("GET", "collections/indexed", null)).result();
        // no point has a city yet: the index covers none
        assertEquals(ApiClient.MAPPER.readTree("{\"city\":{\"data_type\":\"keyword\",\"points\":0}}"),
                info.get("payload_schema"));

        // points written after the index exists are found through it; a replaced payload leaves it
        List<Doc> docs = upsertDocs("indexed", 60);
        Doc moved = docs.get(7);
        ok(api.send("PUT", "collections/indexed/points", ApiClient.json(Map.of("points", List.of(
                TestPoints.point(moved.id(), DIM, Map.of("city", "Oslo")))))));
        for (String city : List.of("London", "Paris", "Berlin", "Rome", "Oslo")) {
            long expected = docs.stream().filter(d -> d.id() != moved.id() && d.city().equals(city)).count()
                    + (city.equals("Oslo") ? 1 : 0);
            assertEquals(expected, ok(api.send("POST", "collections/indexed/points/count",
                    "{\"filter\":{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\"" + city + "\"}}]}}")).result()
                    .get("count").asLong(), city);
        }
    }

    // ---- full text and hybrid, on a tiny fixed corpus (every list holds the whole corpus) ----

    /** Point texts by id; point 8 has none. No two texts tie on the BM25 queries below. */
    private static final Map<Long, String> TEXTS = Map.of(
            1L, "Supersonic flow over a wedge",
            2L, "Boundary layer flow on a flat plate",
            3L, "Heat transfer in supersonic boundary layers",
            4L, "The wedge angle and the shock waves it makes",
            5L, "Laminar flow stability",
            6L, "A study of shock waves in supersonic flows",
            7L, "Structural vibration of thin plates");
    private static final int TEXT_DIM = 4;

    /** Lucene's BM25 (k1 1.2, b 0.75, English analyzer) over {@link #TEXTS}: the oracle. */
    private static final class LuceneOracle implements AutoCloseable {
        private final Analyzer analyzer = new EnglishAnalyzer();
        private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
        private final List<Long> pointIds = new ArrayList<>();
        private final DirectoryReader reader;
        private final IndexSearcher searcher;

        LuceneOracle() throws IOException {
            BM25Similarity similarity = new BM25Similarity(1.2f, 0.75f);
            try (IndexWriter w = new IndexWriter(directory, new IndexWriterConfig(analyzer).setSimilarity(similarity))) {
                for (long id = 1; id <= 7; id++) {
                    Document d = new Document();
                    d.add(new TextField("text", TEXTS.get(id), Field.Store.NO));
                    w.addDocument(d);
                    pointIds.add(id);
                }
            }
            reader = DirectoryReader.open(directory);
            searcher = new IndexSearcher(reader);
            searcher.setSimilarity(similarity);
        }

        List<String> terms(String text) throws IOException {
            List<String> terms = new ArrayList<>();
            try (TokenStream s = analyzer.tokenStream("text", text)) {
                CharTermAttribute t = s.addAttribute(CharTermAttribute.class);
                s.reset();
                while (s.incrementToken()) {
                    terms.add(t.toString());
                }
                s.end();
            }
            return terms;
        }

        /** Point id → BM25 score of the query, for every matching point. */
        Map<Long, Float> scores(Query query) throws IOException {
            Map<Long, Float> scores = new HashMap<>();
            for (ScoreDoc d : searcher.search(query, 100).scoreDocs) {
                scores.put(pointIds.get(d.doc), d.score);
            }
            return scores;
        }

        Map<Long, Float> scores(String text) throws IOException {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            for (String term : terms(text)) {
                b.add(new TermQuery(new Term("text", term)), BooleanClause.Occur.SHOULD);
            }
            return scores(b.build());
        }

        Map<Long, Float> termScores(String term) throws IOException {
            return scores(new TermQuery(new Term("text", term)));
        }

        int docFreq(String term) throws IOException {
            return reader.docFreq(new Term("text", term));
        }

        @Override
        public void close() throws IOException {
            reader.close();
            analyzer.close();
        }
    }

    private static void createPapers() throws Exception {
        createCollection("papers", TEXT_DIM);
        List<Map<String, Object>> points = new ArrayList<>();
        for (long id = 1; id <= 8; id++) {
            Map<String, Object> p = TestPoints.point(id, TEXT_DIM, Map.of("year", 1950 + id));
            if (TEXTS.containsKey(id)) {
                p.put("text", TEXTS.get(id));
            }
            points.add(p);
        }
        ok(api.send("PUT", "collections/papers/points", ApiClient.json(Map.of("points", points))));
    }

    @Test
    void textSearchAndItsExplanationMatchLuceneBm25() throws Exception {
        createPapers();
        try (LuceneOracle lucene = new LuceneOracle()) {
            for (String q : List.of("supersonic flow", "shock waves", "plates", "boundary layer heat", "unrelated words")) {
                Map<Long, Float> expected = lucene.scores(q);
                JsonNode hits = ok(api.send("POST", "collections/papers/points/search",
                        ApiClient.json(Map.of("text", q, "limit", 10, "explain", true)))).result();
                assertEquals(expected.size(), hits.size(), q + ": every matching text, no other: " + hits);
                List<String> queryTerms = lucene.terms(q);
                float previous = Float.POSITIVE_INFINITY;
                for (int i = 0; i < hits.size(); i++) {
                    JsonNode hit = hits.get(i);
                    long id = hit.get("id").asLong();
                    float score = hit.get("score").floatValue();
                    assertTrue(expected.containsKey(id), q + ": " + id + " does not match");
                    assertClose(expected.get(id), score, q + " score of " + id);
                    assertTrue(score <= previous, q + ": best first");
                    previous = score;

                    JsonNode e = hit.get("explanation");
                    assertFalse(e.has("vector_rank") || e.has("vector_score"), "no vector part: " + e);
                    assertEquals(i + 1, e.get("text_rank").asInt(), e.toString());
                    assertClose(score, e.get("text_score").floatValue(), "text_score");
                    assertClose(score, e.get("fused_score").floatValue(), "fused_score");
                    float sum = 0;
                    Set<String> seen = new HashSet<>();
                    for (JsonNode t : e.get("terms")) {
                        String term = t.get("term").asText();
                        assertTrue(queryTerms.contains(term) && seen.add(term), q + ": term " + t);
                        List<String> docTerms = lucene.terms(TEXTS.get(id));
                        assertEquals(docTerms.stream().filter(term::equals).count(), t.get("freq").asLong(), t.toString());
                        int df = lucene.docFreq(term);
                        assertEquals(df, t.get("doc_freq").asInt(), t.toString());
                        assertClose((float) Math.log(1 + (TEXTS.size() - df + 0.5) / (df + 0.5)),
                                t.get("idf").floatValue(), "idf of " + term);
                        assertClose(lucene.termScores(term).get(id), t.get("score").floatValue(), "score of " + term);
                        sum += t.get("score").floatValue();
                    }
                    assertClose(score, sum, q + ": the terms add up to the score of " + id);
                }
            }

            // a filter keeps BM25's collection statistics: the same scores, fewer hits
            Map<Long, Float> all = lucene.scores("supersonic flow");
            JsonNode filtered = ok(api.send("POST", "collections/papers/points/search", "{\"text\":\"supersonic flow\","
                    + "\"filter\":{\"must\":[{\"key\":\"year\",\"range\":{\"gte\":1953}}]}}")).result();
            Map<Long, Float> got = new HashMap<>();
            filtered.forEach(h -> got.put(h.get("id").asLong(), h.get("score").floatValue()));
            assertEquals(all.keySet().stream().filter(id -> id >= 3).collect(java.util.stream.Collectors.toSet()),
                    got.keySet(), filtered.toString());
            got.forEach((id, s) -> assertClose(all.get(id), s, "filtered score of " + id));
        }
    }

    @Test
    void hybridFusesTheVectorAndTextRankings() throws Exception {
        createPapers();
        float[] query = TestPoints.vector(777, TEXT_DIM);
        String text = "supersonic flow";
        List<Long> vectorRanking = LongStream.rangeClosed(1, 8).boxed()
                .sorted(Comparator.comparingDouble((Long id) -> cosine(query, TestPoints.vector(id, TEXT_DIM))).reversed())
                .toList();
        Map<Long, Float> bm25;
        try (LuceneOracle lucene = new LuceneOracle()) {
            bm25 = lucene.scores(text);
        }
        List<Long> textRanking = bm25.keySet().stream()
                .sorted(Comparator.comparingDouble((Long id) -> bm25.get(id)).reversed()).toList();
        assertEquals(bm25.size(), new HashSet<>(bm25.values()).size(), "the corpus has no BM25 ties for the query");

        // vector only, with explain: the vector part and the score
        JsonNode vectorHits = ok(api.send("POST", "collections/papers/points/search", "{\"vector\":"
                + ApiClient.json(query) + ",\"limit\":3,\"explain\":true,\"params\":{\"exact\":true}}")).result();
        assertEquals(vectorRanking.subList(0, 3), ids(vectorHits));
        for (int i = 0; i < 3; i++) {
            JsonNode e = vectorHits.get(i).get("explanation");
            assertEquals(i + 1, e.get("vector_rank").asInt(), e.toString());
            assertClose(vectorHits.get(i).get("score").floatValue(), e.get("vector_score").floatValue(), "vector_score");
            assertClose(vectorHits.get(i).get("score").floatValue(), e.get("fused_score").floatValue(), "fused_score");
            assertFalse(e.has("text_rank") || e.has("terms"), "no text part: " + e);
        }

        for (String fusion : List.of("", ",\"fusion\":{\"method\":\"rrf\",\"k\":10}",
                ",\"fusion\":{\"method\":\"weighted\",\"alpha\":0.3}")) {
            Map<Long, Double> fused = new HashMap<>();
            for (long id = 1; id <= 8; id++) {
                fused.put(id, fusedScore(fusion, id, vectorRanking, textRanking, query, bm25));
            }
            JsonNode hits = ok(api.send("POST", "collections/papers/points/search", "{\"vector\":" + ApiClient.json(query)
                    + ",\"text\":\"" + text + "\",\"limit\":10,\"explain\":true,\"params\":{\"exact\":true}" + fusion + "}"))
                    .result();
            String label = "hybrid" + fusion;
            assertEquals(8, hits.size(), label + ": the union of both lists: " + hits);
            double previous = Double.POSITIVE_INFINITY;
            Set<Long> seen = new HashSet<>();
            for (JsonNode hit : hits) {
                long id = hit.get("id").asLong();
                assertTrue(seen.add(id), label + ": duplicate " + id);
                double score = hit.get("score").doubleValue();
                assertEquals(fused.get(id), score, 1e-5, label + ": fused score of " + id);
                assertTrue(score <= previous + 1e-9, label + ": best first");
                previous = score;
                JsonNode e = hit.get("explanation");
                assertEquals(fused.get(id), e.get("fused_score").doubleValue(), 1e-5, label + " " + e);
                assertEquals(vectorRanking.indexOf(id) + 1, e.get("vector_rank").asInt(), label + " " + e);
                assertClose((float) cosine(query, TestPoints.vector(id, TEXT_DIM)), e.get("vector_score").floatValue(),
                        "vector_score");
                if (bm25.containsKey(id)) {
                    assertEquals(textRanking.indexOf(id) + 1, e.get("text_rank").asInt(), label + " " + e);
                    assertClose(bm25.get(id), e.get("text_score").floatValue(), "text_score");
                    assertTrue(e.get("terms").size() > 0, e.toString());
                } else {
                    assertFalse(e.has("text_rank") || e.has("text_score") || e.has("terms"), label + " " + e);
                }
            }
        }
    }

    /** RRF (default k 60, or the given k) or weighted min-max fusion, as the contract defines them. */
    private static double fusedScore(String fusion, long id, List<Long> vectorRanking, List<Long> textRanking,
                                     float[] query, Map<Long, Float> bm25) {
        int vectorRank = vectorRanking.indexOf(id) + 1;
        int textRank = textRanking.indexOf(id) + 1;
        if (!fusion.contains("weighted")) {
            int k = fusion.contains("\"k\":10") ? 10 : 60;
            return (vectorRank > 0 ? 1.0 / (k + vectorRank) : 0) + (textRank > 0 ? 1.0 / (k + textRank) : 0);
        }
        double alpha = 0.3;
        double[] v = vectorRanking.stream().mapToDouble(i -> cosine(query, TestPoints.vector(i, TEXT_DIM))).toArray();
        double vMin = Math.min(v[0], v[v.length - 1]);
        double vMax = Math.max(v[0], v[v.length - 1]);
        double vNorm = (cosine(query, TestPoints.vector(id, TEXT_DIM)) - vMin) / (vMax - vMin);
        double tNorm = 0;
        if (textRank > 0) {
            double tMax = bm25.get(textRanking.get(0));
            double tMin = bm25.get(textRanking.get(textRanking.size() - 1));
            tNorm = tMax == tMin ? 1 : (bm25.get(id) - tMin) / (tMax - tMin);
        }
        return alpha * vNorm + (1 - alpha) * tNorm;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static void assertClose(float expected, float actual, String what) {
        assertEquals(expected, actual, 1e-4f * Math.max(1f, Math.abs(expected)), what);
    }

    private static List<Long> bruteForce(float[] q, Set<Long> among, int k) {
        return among.stream()
                .sorted(Comparator.comparingDouble((Long id) -> cosine(q, TestPoints.vector(id, DIM))).reversed())
                .limit(k).toList();
    }

    private static List<Long> ids(JsonNode hits) {
        List<Long> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.get("id").asLong()));
        return ids;
    }
}
