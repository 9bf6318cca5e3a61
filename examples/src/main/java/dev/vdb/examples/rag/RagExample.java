package dev.vdb.examples.rag;

import dev.vdb.embed.EmbeddingModel;
import dev.vdb.embed.EmbeddingModels;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.filter.Filter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Retrieval for a RAG prompt, end to end and offline: chunk four documents, embed the chunks
 * in-process with all-MiniLM-L6-v2, store them with their metadata and text, retrieve the top
 * chunks for a question by hybrid search (vectors and BM25, fused) under a metadata filter, and
 * print the prompt that would go to a language model (no model is called).
 *
 * <p>{@code ./vdb example rag ["question"]}; the database lives in a temporary directory that is
 * removed at the end.
 */
public final class RagExample {

    static final String[] DOCUMENTS = {"boundary-layers.txt", "shock-waves.txt", "wing-flutter.txt", "heat-transfer.txt"};
    static final String DEFAULT_QUESTION = "Why does a boundary layer separate, and what does a shock have to do with it?";
    static final int TOP_K = 4;

    private RagExample() {}

    public static void main(String[] args) throws IOException {
        String question = args.length > 0 ? String.join(" ", args) : DEFAULT_QUESTION;
        Path dir = Files.createTempDirectory("vdb-rag-");
        try {
            run(dir, question, System.out);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Indexes the documents in a database at {@code dir}, retrieves for {@code question}, prints to {@code out}. */
    static List<ScoredPoint> run(Path dir, String question, PrintStream out) {
        EmbeddingModel model = EmbeddingModels.get(EmbeddingModels.ALL_MINILM_L6_V2);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection chunks = db.createCollection("chunks", CollectionConfig.of(model.dimension(), Distance.COSINE));
            int stored = index(chunks, model, new Chunker(400));
            out.printf("Indexed %d chunks of %d documents with %s.%n%n", stored, DOCUMENTS.length, model.name());

            // aerodynamics only: the filter keeps the structures and heating documents out
            Filter filter = Filter.match("topic", "aerodynamics");
            List<ScoredPoint> hits = chunks.search(SearchRequest.builder()
                    .vector(model.embed(question)).text(question).filter(filter).limit(TOP_K).build());
            out.println(prompt(question, hits, chunks.get(hits.stream().map(ScoredPoint::id).toList())));
            return hits;
        }
    }

    private static int index(VectorCollection collection, EmbeddingModel model, Chunker chunker) {
        List<String> texts = new ArrayList<>();
        List<Map<String, Object>> payloads = new ArrayList<>();
        for (String name : DOCUMENTS) {
            SourceDocument doc = SourceDocument.load(name);
            List<String> chunks = chunker.chunks(doc.body());
            for (int i = 0; i < chunks.size(); i++) {
                Map<String, Object> payload = new LinkedHashMap<>(doc.metadata());
                payload.put("chunk", i);
                texts.add(chunks.get(i));
                payloads.add(payload);
            }
        }
        float[][] vectors = model.embed(texts);  // one call: the texts are embedded in parallel
        List<Point> points = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            points.add(new Point(PointId.of(i), vectors[i], payloads.get(i), texts.get(i)));
        }
        return collection.upsert(points);
    }

    /** The prompt: instructions, the retrieved chunks (hits in order, their stored points) with their sources, the question. */
    static String prompt(String question, List<ScoredPoint> hits, List<Point> points) {
        StringBuilder b = new StringBuilder("""
                You are a careful assistant. Answer the question using only the context below, and cite
                the sources in brackets. If the context does not contain the answer, say so.

                Context:
                """);
        for (int i = 0; i < hits.size(); i++) {
            Map<String, Object> p = points.get(i).payload();
            b.append(String.format("[%s #%s, %s, fused score %.4f]%n%s%n%n", p.get("source"), p.get("chunk"),
                    p.get("year"), hits.get(i).score(), points.get(i).text()));
        }
        return b.append("Question: ").append(question).append('\n').toString();
    }
}
