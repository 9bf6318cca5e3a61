package dev.vdb.index.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.testkit.data.Datasets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Cranfield collection (docs, queries, graded qrels) from {@code ../shared/datasets/cranfield},
 * or, when it is missing off CI, a tiny embedded corpus of the same shape ({@code mini-corpus}
 * resources) so the Lucene-oracle tests still run.
 */
record Cranfield(String source, List<String> docIds, List<String> docTexts, List<String> queryIds,
        List<String> queryTexts, Map<String, Map<String, Integer>> qrels) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Cranfield load() {
        Optional<Path> dir = Datasets.find("cranfield");
        try {
            if (dir.isPresent()) {
                Path d = dir.get();
                try (InputStream docs = Files.newInputStream(d.resolve("docs.jsonl"));
                        InputStream queries = Files.newInputStream(d.resolve("queries.jsonl"));
                        InputStream qrels = Files.newInputStream(d.resolve("qrels.tsv"))) {
                    return read("cranfield", docs, queries, qrels);
                }
            }
            System.err.println("[cranfield] using the embedded mini corpus instead");
            try (InputStream docs = resource("mini-corpus/docs.jsonl");
                    InputStream queries = resource("mini-corpus/queries.jsonl");
                    InputStream qrels = resource("mini-corpus/qrels.tsv")) {
                return read("mini-corpus", docs, queries, qrels);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isReal() {
        return source.equals("cranfield");
    }

    private static InputStream resource(String name) {
        InputStream in = Cranfield.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        return in;
    }

    private static Cranfield read(String source, InputStream docsIn, InputStream queriesIn, InputStream qrelsIn)
            throws IOException {
        List<String> docIds = new ArrayList<>();
        List<String> docTexts = new ArrayList<>();
        for (JsonNode doc : lines(docsIn)) {
            docIds.add(doc.get("id").asText());
            String title = doc.path("title").asText("");
            docTexts.add(title + " " + doc.path("text").asText(""));
        }
        List<String> queryIds = new ArrayList<>();
        List<String> queryTexts = new ArrayList<>();
        for (JsonNode query : lines(queriesIn)) {
            queryIds.add(query.get("id").asText());
            queryTexts.add(query.get("text").asText());
        }
        Map<String, Map<String, Integer>> qrels = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(qrelsIn, StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split("\t");
                qrels.computeIfAbsent(f[0], q -> new HashMap<>()).put(f[1], Integer.parseInt(f[2]));
            }
        }
        return new Cranfield(source, docIds, docTexts, queryIds, queryTexts, qrels);
    }

    private static List<JsonNode> lines(InputStream in) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            }
        }
        return nodes;
    }
}
