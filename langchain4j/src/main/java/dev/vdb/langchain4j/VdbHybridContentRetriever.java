package dev.vdb.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.vdb.engine.Fusion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A LangChain4j {@link ContentRetriever} that finds segments by meaning and by words at once:
 * the query's embedding searches the vectors, its text searches the segment texts with BM25,
 * and the two rankings are fused ({@link Fusion#rrf reciprocal rank fusion} by default, or
 * {@link Fusion#weighted weighted scores}); see {@link VdbEmbeddingStore#hybridSearch}.
 * Each content carries {@link ContentMetadata#SCORE} (the fused score) and
 * {@link ContentMetadata#EMBEDDING_ID}; embeddings stored without a segment are never returned.
 *
 * <pre>{@code
 * ContentRetriever retriever = VdbHybridContentRetriever.builder()
 *         .store(store).embeddingModel(model).maxResults(5)
 *         .filter(metadataKey("lang").isEqualTo("en"))
 *         .build();
 * List<Content> contents = retriever.retrieve(Query.from("supersonic flow over a wedge"));
 * }</pre>
 *
 * <p>Immutable and thread-safe when its embedding model is.
 */
public final class VdbHybridContentRetriever implements ContentRetriever {

    public static final int DEFAULT_MAX_RESULTS = 5;

    private final VdbEmbeddingStore store;
    private final EmbeddingModel embeddingModel;
    private final int maxResults;
    private final double minScore;
    private final Filter filter;
    private final Fusion fusion;

    private VdbHybridContentRetriever(Builder b) {
        if (b.store == null || b.embeddingModel == null) {
            throw new IllegalArgumentException("store and embeddingModel are required, got store " + b.store
                    + " and embeddingModel " + b.embeddingModel);
        }
        this.store = b.store;
        this.embeddingModel = b.embeddingModel;
        if (b.maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1, got " + b.maxResults);
        }
        this.maxResults = b.maxResults;
        this.minScore = b.minScore;
        this.filter = b.filter;
        this.fusion = b.fusion;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> retrieve(Query query) {
        EmbeddingSearchRequest request = EmbeddingSearchRequest.builder()
                .query(query.text())
                .queryEmbedding(embeddingModel.embed(query.text()).content())
                .maxResults(maxResults)
                .minScore(minScore)
                .filter(filter)
                .build();
        List<Content> contents = new ArrayList<>();
        for (EmbeddingMatch<TextSegment> match : store.hybridSearch(request, fusion).matches()) {
            if (match.embedded() != null) {
                contents.add(Content.from(match.embedded(), Map.of(
                        ContentMetadata.SCORE, match.score(),
                        ContentMetadata.EMBEDDING_ID, match.embeddingId())));
            }
        }
        return contents;
    }

    /** Settings of a {@link VdbHybridContentRetriever}; store and embedding model are required. Not thread-safe. */
    public static final class Builder {
        private VdbEmbeddingStore store;
        private EmbeddingModel embeddingModel;
        private int maxResults = DEFAULT_MAX_RESULTS;
        private double minScore;
        private Filter filter;
        private Fusion fusion = Fusion.DEFAULT;

        private Builder() {}

        public Builder store(VdbEmbeddingStore store) {
            this.store = store;
            return this;
        }

        /** Embeds the query text; the same model that embedded the stored segments. */
        public Builder embeddingModel(EmbeddingModel embeddingModel) {
            this.embeddingModel = embeddingModel;
            return this;
        }

        /** Contents returned at most ({@value #DEFAULT_MAX_RESULTS} by default). */
        public Builder maxResults(int maxResults) {
            this.maxResults = maxResults;
            return this;
        }

        /** The least fused score a content needs (0, none, by default). */
        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        /** A metadata filter both searches apply; null for none. */
        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        /** How the two rankings merge ({@link Fusion#DEFAULT}, RRF with k 60, by default). */
        public Builder fusion(Fusion fusion) {
            this.fusion = Objects.requireNonNullElse(fusion, Fusion.DEFAULT);
            return this;
        }

        /** @throws IllegalArgumentException naming a bad setting */
        public VdbHybridContentRetriever build() {
            return new VdbHybridContentRetriever(this);
        }
    }
}
