package dev.vdb.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's LangChain4j quick start, as written there (but for the directory). */
class ReadmeQuickStartTest {

    @TempDir
    Path data;

    @Test
    void theQuickStartRuns() {
        EmbeddingModel model = VdbEmbeddingStoreIT.MODEL;
        try (VdbEmbeddingStore store = VdbEmbeddingStore.builder()
                .path(data).collection("docs").dimension(384).build()) {
            TextSegment segment = TextSegment.from("Shock waves form ahead of a supersonic wedge.",
                    new Metadata().put("year", 1958).put("topic", "aerodynamics"));
            store.add(model.embed(segment).content(), segment);

            var matches = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(model.embed("supersonic shocks").content()).maxResults(5).minScore(0.6)
                    .filter(metadataKey("year").isLessThan(1960)).build()).matches();   // score: relevance 0..1

            List<Content> contents = VdbHybridContentRetriever.builder()             // vectors + BM25, fused
                    .store(store).embeddingModel(model).maxResults(5)
                    .filter(metadataKey("topic").isEqualTo("aerodynamics")).build()
                    .retrieve(Query.from("supersonic shocks"));

            assertEquals(1, matches.size());
            assertEquals(segment.text(), contents.getFirst().textSegment().text());
        }
    }
}
