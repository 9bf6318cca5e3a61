package dev.vdb.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreIT;
import dev.vdb.engine.Distance;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's base store suite on a Dot collection: its score assertions (relevance
 * {@code (1 + cos) / 2}) hold because {@link Relevance} maps Dot scores of unit-length vectors
 * onto the same scale.
 */
class VdbEmbeddingStoreDotIT extends EmbeddingStoreIT {

    @TempDir
    static Path dir;

    private static VdbEmbeddingStore store;

    @BeforeAll
    static void open() {
        store = VdbEmbeddingStore.builder().path(dir).collection("dot").dimension(384).distance(Distance.DOT).build();
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
        return VdbEmbeddingStoreIT.MODEL;
    }

    @Override
    protected void clearStore() {
        store.removeAll();
    }
}
