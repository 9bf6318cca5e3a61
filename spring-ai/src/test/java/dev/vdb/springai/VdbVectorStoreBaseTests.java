package dev.vdb.springai;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spring AI's own abstract store tests (delete by id, by filter expression and by filter
 * string), each in a Spring context made by our auto-configuration from {@code vdb.*}
 * properties, with the application's EmbeddingModel bean.
 */
class VdbVectorStoreBaseTests extends BaseVectorStoreTests {

    @TempDir
    Path dir;

    @Override
    protected void executeTest(Consumer<VectorStore> testFunction) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(VdbVectorStoreAutoConfiguration.class))
                .withBean(EmbeddingModel.class, () -> TestModel.MODEL)
                .withPropertyValues("vdb.path=" + dir, "vdb.collection=base")
                .run(context -> testFunction.accept(context.getBean(VectorStore.class)));
    }
}
