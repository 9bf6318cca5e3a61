package dev.vdb.springai;

import dev.vdb.embed.EmbeddingModels;

/** The one embedding model the tests share: vdb's built-in all-MiniLM-L6-v2, loaded once. */
final class TestModel {

    static final BuiltInEmbeddingModel MODEL = BuiltInEmbeddingModel.named(EmbeddingModels.ALL_MINILM_L6_V2);

    private TestModel() {}
}
