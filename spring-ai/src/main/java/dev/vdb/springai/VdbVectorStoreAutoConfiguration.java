package dev.vdb.springai;

import dev.vdb.engine.VectorDb;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.vectorstore.SpringAIVectorStoreTypes;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Boot auto-configuration: a {@link VectorDb} at {@code vdb.path} and a {@link VdbVectorStore}
 * on collection {@code vdb.collection} ({@link VdbVectorStoreProperties}), each unless the
 * application defines its own; active unless {@code spring.ai.vectorstore.type} names another
 * store. The store needs an {@link EmbeddingModel} bean: the application's (OpenAI, Ollama, ...)
 * or, with {@code vdb.embedding-model} set and {@code vdb-embed} on the classpath, vdb's
 * built-in in-process model.
 */
@AutoConfiguration
@ConditionalOnClass({VdbVectorStore.class, EmbeddingModel.class})
@EnableConfigurationProperties(VdbVectorStoreProperties.class)
@ConditionalOnProperty(name = SpringAIVectorStoreTypes.TYPE, havingValue = VdbVectorStore.PROVIDER, matchIfMissing = true)
public class VdbVectorStoreAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    VectorDb vdbVectorDb(VdbVectorStoreProperties properties) {
        return VectorDb.open(Path.of(properties.getPath()));
    }

    @Bean
    @ConditionalOnMissingBean
    BatchingStrategy vdbBatchingStrategy() {
        return new TokenCountBatchingStrategy();
    }

    @Bean
    @ConditionalOnMissingBean
    VdbVectorStore vdbVectorStore(VectorDb vectorDb, EmbeddingModel embeddingModel, VdbVectorStoreProperties properties,
            BatchingStrategy batchingStrategy, ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<VectorStoreObservationConvention> customObservationConvention) {
        return VdbVectorStore.builder(embeddingModel)
                .vectorDb(vectorDb)
                .collection(properties.getCollection())
                .dimension(properties.getDimension())
                .distance(properties.getDistance())
                .batchingStrategy(batchingStrategy)
                .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
                .customObservationConvention(customObservationConvention.getIfAvailable())
                .build();
    }

    /** vdb's built-in embedding model, when asked for by name, vdb-embed is present and there is no other model. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "dev.vdb.embed.EmbeddingModels")
    @ConditionalOnProperty(name = VdbVectorStoreProperties.PREFIX + ".embedding-model")
    static class BuiltInModel {

        @Bean
        @ConditionalOnMissingBean(EmbeddingModel.class)
        EmbeddingModel vdbBuiltInEmbeddingModel(VdbVectorStoreProperties properties) {
            return BuiltInEmbeddingModel.named(properties.getEmbeddingModel());
        }
    }
}
