package dev.vdb.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vdb.engine.Distance;
import dev.vdb.engine.VectorCollection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Boot auto-configuration: properties, the built-in model, persistence across contexts, backing off. */
class VdbVectorStoreAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(VdbVectorStoreAutoConfiguration.class))
                .withPropertyValues("vdb.path=" + dir, "vdb.collection=notes", "vdb.distance=dot",
                        "vdb.embedding-model=sentence-transformers/all-MiniLM-L6-v2");
    }

    @Test
    void aStoreFromPropertiesWithTheBuiltInModelKeepsItsDocumentsAcrossRestarts() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(EmbeddingModel.class).hasSingleBean(VectorStore.class);
            VectorStore store = context.getBean(VectorStore.class);
            store.add(List.of(new Document("Sofia is the capital of Bulgaria.", Map.of("country", "BG")),
                    new Document("Amsterdam has many canals.", Map.of("country", "NL"))));
            VectorCollection collection = store.<VectorCollection>getNativeClient().orElseThrow();
            assertThat(collection.name()).isEqualTo("notes");
            assertThat(collection.config().distance()).isEqualTo(Distance.DOT);
            assertThat(collection.config().dimension()).isEqualTo(384);
        });
        runner().run(context -> {
            List<Document> hits = context.getBean(VectorStore.class).similaritySearch(
                    SearchRequest.builder().query("Which city is in Bulgaria?").topK(1).filterExpression("country == 'BG'").build());
            assertThat(hits).singleElement().satisfies(d -> {
                assertThat(d.getText()).isEqualTo("Sofia is the capital of Bulgaria.");
                assertThat(d.getMetadata()).containsEntry("country", "BG");
            });
        });
    }

    @Test
    void anApplicationModelWinsAndAnotherStoreTypeTurnsItOff() {
        runner().withBean(EmbeddingModel.class, () -> TestModel.MODEL)
                .run(context -> assertThat(context.getBean(EmbeddingModel.class)).isSameAs(TestModel.MODEL));
        runner().withPropertyValues("spring.ai.vectorstore.type=qdrant")
                .run(context -> assertThat(context).doesNotHaveBean(VectorStore.class));
    }

    @Test
    void aMismatchedExistingCollectionFailsTheStartNamingIt() {
        runner().run(context -> assertThat(context).hasNotFailed());
        runner().withPropertyValues("vdb.distance=euclid").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("collection 'notes'").hasMessageContaining("Dot"));
    }
}
