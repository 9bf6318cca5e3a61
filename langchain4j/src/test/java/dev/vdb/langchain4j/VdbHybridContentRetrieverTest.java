package dev.vdb.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid retrieval against an oracle fused by hand: reciprocal rank fusion (k = 60) of the
 * store's vector ranking and the collection's BM25 ranking of the same filtered points. The
 * corpus is small enough that both rankings cover every candidate the engine fuses.
 */
class VdbHybridContentRetrieverTest {

    private static final String[][] CORPUS = {
        {"Supersonic flow over a wedge produces an oblique shock wave.", "1958"},
        {"Laminar boundary layers on a flat plate at low speed.", "1962"},
        {"Heat transfer to a blunt body in hypersonic flow.", "1965"},
        {"The buckling of thin cylindrical shells under axial compression.", "1960"},
        {"Shock wave boundary layer interaction on a compression ramp.", "1970"},
        {"Vibration of cantilever plates with tip masses.", "1959"},
        {"Transition from laminar to turbulent flow in pipes.", "1966"},
        {"Stagnation point heat transfer at high Mach numbers.", "1961"},
        {"Aeroelastic flutter of a swept wing.", "1968"},
        {"Skin friction of turbulent boundary layers in supersonic flow.", "1972"},
        {"Creep of metals at elevated temperature.", "1955"},
        {"Wedge and cone pressure distributions in supersonic streams.", "1963"},
    };

    @TempDir
    Path dir;

    @Test
    void retrievesTheReciprocalRankFusionOfVectorAndBm25Rankings() {
        try (VdbEmbeddingStore store = VdbEmbeddingStore.builder().path(dir).collection("rag").dimension(384).build()) {
            List<TextSegment> segments = new ArrayList<>();
            for (String[] doc : CORPUS) {
                segments.add(TextSegment.from(doc[0], new Metadata().put("year", Integer.parseInt(doc[1]))));
            }
            store.addAll(VdbEmbeddingStoreIT.MODEL.embedAll(segments).content(), segments);
            Filter since1960 = metadataKey("year").isGreaterThanOrEqualTo(1960);
            String question = "shock waves in supersonic flow";

            List<Content> contents = VdbHybridContentRetriever.builder()
                    .store(store).embeddingModel(VdbEmbeddingStoreIT.MODEL).maxResults(4).filter(since1960)
                    .build().retrieve(Query.from(question));

            Map<String, Double> oracle = rrf(store, question, since1960);
            List<Double> best = oracle.values().stream().sorted((a, b) -> Double.compare(b, a)).limit(4).toList();
            assertEquals(4, contents.size());
            for (int i = 0; i < contents.size(); i++) {
                Content content = contents.get(i);
                String id = (String) content.metadata().get(ContentMetadata.EMBEDDING_ID);
                double score = (Double) content.metadata().get(ContentMetadata.SCORE);
                assertEquals(oracle.get(id), score, 1e-6, "fused score of " + content.textSegment().text());
                assertEquals(best.get(i), score, 1e-6, "rank " + i);
                assertTrue(content.textSegment().metadata().getInteger("year") >= 1960, "the filter holds");
            }
        }
    }

    @Test
    void withoutQueryTextTheHybridSearchIsTheVectorSearch() {
        try (VdbEmbeddingStore store = VdbEmbeddingStore.builder().path(dir).collection("v").dimension(384).build()) {
            TextSegment segment = TextSegment.from("Creep of metals at elevated temperature.");
            store.add(VdbEmbeddingStoreIT.MODEL.embed(segment).content(), segment);
            EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
                    .queryEmbedding(VdbEmbeddingStoreIT.MODEL.embed("creep").content()).maxResults(3).build();
            assertEquals(store.search(request).matches(), store.hybridSearch(request, Fusion.DEFAULT).matches());
            assertFalse(store.search(request).matches().isEmpty());
        }
    }

    /** Id → RRF score over the full vector and BM25 rankings of the points the filter admits. */
    private static Map<String, Double> rrf(VdbEmbeddingStore store, String question, Filter filter) {
        Embedding q = VdbEmbeddingStoreIT.MODEL.embed(question).content();
        List<EmbeddingMatch<TextSegment>> byVector = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(q).maxResults(CORPUS.length).filter(filter).build()).matches();
        List<ScoredPoint> byWords = store.collection().search(SearchRequest.builder().text(question)
                .limit(CORPUS.length).filter(FilterMapper.map(filter)).build());
        Map<String, Double> fused = new HashMap<>();
        for (int rank = 1; rank <= byVector.size(); rank++) {
            fused.merge(byVector.get(rank - 1).embeddingId(), 1.0 / (Fusion.DEFAULT_RRF_K + rank), Double::sum);
        }
        for (int rank = 1; rank <= byWords.size(); rank++) {
            fused.merge((String) byWords.get(rank - 1).id().value(), 1.0 / (Fusion.DEFAULT_RRF_K + rank), Double::sum);
        }
        return fused;
    }
}
