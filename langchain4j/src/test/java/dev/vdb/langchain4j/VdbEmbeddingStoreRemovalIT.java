package dev.vdb.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j's own suite for removal by id, by ids, by filter and of everything. */
class VdbEmbeddingStoreRemovalIT extends EmbeddingStoreWithRemovalIT {

    @TempDir
    static Path dir;

    private static VdbEmbeddingStore store;

    @BeforeAll
    static void open() {
        store = VdbEmbeddingStore.builder().path(dir).collection("removal").dimension(384).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @BeforeEach
    void empty() {
        store.removeAll();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return VdbEmbeddingStoreIT.MODEL;
    }
}
