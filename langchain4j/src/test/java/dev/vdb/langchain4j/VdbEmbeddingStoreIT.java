package dev.vdb.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's own suite for stores with metadata filters (which includes
 * {@code EmbeddingStoreIT} and {@code EmbeddingStoreWithoutMetadataIT}), run against a Cosine
 * collection on disk, with the small MiniLM model the suite is written for.
 */
class VdbEmbeddingStoreIT extends EmbeddingStoreWithFilteringIT {

    static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();

    @TempDir
    static Path dir;

    private static VdbEmbeddingStore store;

    @BeforeAll
    static void open() {
        store = VdbEmbeddingStore.builder().path(dir).collection("suite").dimension(384).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return MODEL;
    }

    @Override
    protected void clearStore() {
        store.removeAll();
    }

    /** {@code containsString} is a substring match on string values ({@code Filter.matchText}). */
    @Override
    protected boolean supportsContains() {
        return true;
    }
}
