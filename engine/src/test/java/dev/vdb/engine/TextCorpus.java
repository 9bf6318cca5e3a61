package dev.vdb.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.testkit.data.Datasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Documents and queries for the text tests: Cranfield's 1,400 abstracts (title + text) and 225
 * queries from {@code ../shared/datasets/cranfield}, or, when it is missing off CI, a generated
 * corpus of English-like words with Zipf-distributed frequencies (so idf, ties and stemming
 * still vary).
 */
record TextCorpus(String source, List<String> docs, List<String> queries) {

    static TextCorpus load() {
        Optional<Path> dir = Datasets.find("cranfield");
        if (dir.isEmpty()) {
            return generated(1_400, 225, 11);
        }
        try {
            ObjectMapper json = new ObjectMapper();
            List<String> docs = new ArrayList<>();
            for (String line : Files.readAllLines(dir.get().resolve("docs.jsonl"))) {
                JsonNode doc = json.readTree(line);
                docs.add(doc.path("title").asText("") + " " + doc.path("text").asText(""));
            }
            List<String> queries = new ArrayList<>();
            for (String line : Files.readAllLines(dir.get().resolve("queries.jsonl"))) {
                queries.add(json.readTree(line).path("text").asText());
            }
            return new TextCorpus("cranfield", docs, queries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Texts over a Zipf vocabulary of words with English suffixes (so the stemmer conflates some). */
    static TextCorpus generated(int docCount, int queryCount, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] suffixes = {"", "s", "ing", "ed", "ation", "ly"};
        String[] vocabulary = new String[3_000];
        for (int i = 0; i < vocabulary.length; i++) {
            StringBuilder word = new StringBuilder();
            for (int c = 0, n = 3 + random.nextInt(5); c < n; c++) {
                word.append((char) ('a' + random.nextInt(26)));
            }
            vocabulary[i] = word + suffixes[random.nextInt(suffixes.length)];
        }
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < docCount; d++) {
            docs.add(words(random, vocabulary, 5 + random.nextInt(150)));
        }
        List<String> queries = new ArrayList<>();
        for (int q = 0; q < queryCount; q++) {
            queries.add(words(random, vocabulary, 2 + random.nextInt(10)));
        }
        return new TextCorpus("generated", docs, queries);
    }

    private static String words(SplittableRandom random, String[] vocabulary, int n) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < n; w++) {
            // Zipf-like: rank ~ exp(uniform * ln(V)) favours the first words
            int rank = (int) Math.exp(random.nextDouble() * Math.log(vocabulary.length)) - 1;
            text.append(random.nextInt(20) == 0 ? "the " : "").append(vocabulary[rank]).append(' ');
        }
        return text.toString();
    }

    /** A deterministic vector per point for collections that are searched by text. */
    static float[] vectorOf(long id, int dimension) {
        SplittableRandom random = new SplittableRandom(id * 31 + 7);
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
