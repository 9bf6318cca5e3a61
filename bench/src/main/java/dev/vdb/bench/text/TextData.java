package dev.vdb.bench.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.testkit.data.Vecs;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A text test collection in the {@code ../shared/datasets/cranfield} layout: documents (title +
 * text, as Lucene and our tests index them), queries, graded relevance judgments and MiniLM
 * embeddings of both, row i of the embeddings being line i of the jsonl files.
 *
 * @param qrels query id → (doc id → gain ≥ 1)
 */
public record TextData(String name, List<String> docIds, List<String> docTexts, float[][] docVectors,
                       List<String> queryIds, List<String> queryTexts, float[][] queryVectors,
                       Map<String, Map<String, Integer>> qrels) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public int dimension() {
        return docVectors[0].length;
    }

    public static TextData load(Path dir) throws IOException {
        List<String> docIds = new ArrayList<>();
        List<String> docTexts = new ArrayList<>();
        for (JsonNode doc : jsonLines(dir.resolve("docs.jsonl"))) {
            docIds.add(doc.get("id").asText());
            docTexts.add(doc.path("title").asText("") + " " + doc.path("text").asText(""));
        }
        List<String> queryIds = new ArrayList<>();
        List<String> queryTexts = new ArrayList<>();
        for (JsonNode query : jsonLines(dir.resolve("queries.jsonl"))) {
            queryIds.add(query.get("id").asText());
            queryTexts.add(query.get("text").asText());
        }
        Map<String, Map<String, Integer>> qrels = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(dir.resolve("qrels.tsv"))) {
            reader.readLine(); // header
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split("\t");
                qrels.computeIfAbsent(f[0], q -> new HashMap<>()).put(f[1], Integer.parseInt(f[2]));
            }
        }
        float[][] docVectors = Vecs.readFvecs(dir.resolve("doc_embeddings.fvecs"));
        float[][] queryVectors = Vecs.readFvecs(dir.resolve("query_embeddings.fvecs"));
        if (docVectors.length != docIds.size() || queryVectors.length != queryIds.size()) {
            throw new IllegalArgumentException(dir + ": " + docVectors.length + " doc embeddings for " + docIds.size()
                    + " docs, " + queryVectors.length + " query embeddings for " + queryIds.size() + " queries");
        }
        return new TextData(dir.getFileName().toString(), docIds, docTexts, docVectors, queryIds, queryTexts,
                queryVectors, qrels);
    }

    /**
     * A small generated collection for smoke runs without the datasets: documents over a Zipf
     * vocabulary, each query a few words of one document (its relevant document, gain 4, and the
     * other documents sharing its first word, gain 1); vectors are noisy copies of a per-word
     * embedding summed over the text, so dense retrieval is meaningful too.
     */
    public static TextData generated(int docs, int queries, int dimension, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] vocabulary = new String[2_000];
        float[][] wordVectors = new float[vocabulary.length][dimension];
        for (int w = 0; w < vocabulary.length; w++) {
            StringBuilder word = new StringBuilder();
            for (int c = 0, n = 3 + random.nextInt(6); c < n; c++) {
                word.append((char) ('a' + random.nextInt(26)));
            }
            vocabulary[w] = word.toString();
            for (int d = 0; d < dimension; d++) {
                wordVectors[w][d] = (float) random.nextGaussian();
            }
        }
        List<String> docIds = new ArrayList<>();
        List<String> docTexts = new ArrayList<>();
        List<int[]> docWords = new ArrayList<>();
        float[][] docVectors = new float[docs][];
        for (int d = 0; d < docs; d++) {
            int[] words = new int[10 + random.nextInt(80)];
            for (int i = 0; i < words.length; i++) {
                words[i] = (int) Math.exp(random.nextDouble() * Math.log(vocabulary.length)) - 1;
            }
            docIds.add(Integer.toString(d + 1));
            docTexts.add(text(words, 0, words.length, vocabulary));
            docWords.add(words);
            docVectors[d] = embed(words, 0, words.length, wordVectors, random);
        }
        List<String> queryIds = new ArrayList<>();
        List<String> queryTexts = new ArrayList<>();
        float[][] queryVectors = new float[queries][];
        Map<String, Map<String, Integer>> qrels = new HashMap<>();
        for (int q = 0; q < queries; q++) {
            int doc = random.nextInt(docs);
            int[] words = docWords.get(doc);
            int from = random.nextInt(Math.max(1, words.length - 4));
            int to = Math.min(words.length, from + 4);
            String id = Integer.toString(q + 1);
            queryIds.add(id);
            queryTexts.add(text(words, from, to, vocabulary));
            queryVectors[q] = embed(words, from, to, wordVectors, random);
            Map<String, Integer> relevant = new HashMap<>();
            for (int d = 0; d < docs && relevant.size() < 20; d++) {
                for (int w : docWords.get(d)) {
                    if (w == words[from]) {
                        relevant.put(docIds.get(d), 1);
                        break;
                    }
                }
            }
            relevant.put(docIds.get(doc), 4);
            qrels.put(id, relevant);
        }
        return new TextData("generated", docIds, docTexts, docVectors, queryIds, queryTexts, queryVectors, qrels);
    }

    private static String text(int[] words, int from, int to, String[] vocabulary) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < to; i++) {
            text.append(vocabulary[words[i]]).append(' ');
        }
        return text.toString().trim();
    }

    private static float[] embed(int[] words, int from, int to, float[][] wordVectors, SplittableRandom random) {
        float[] v = new float[wordVectors[0].length];
        for (int i = from; i < to; i++) {
            for (int d = 0; d < v.length; d++) {
                v[d] += wordVectors[words[i]][d];
            }
        }
        for (int d = 0; d < v.length; d++) {
            v[d] += (float) (0.5 * random.nextGaussian());
        }
        return v;
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }
}
