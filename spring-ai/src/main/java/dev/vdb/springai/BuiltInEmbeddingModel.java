package dev.vdb.springai;

import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/**
 * vdb's built-in, in-process embedding model ({@code vdb-embed}, e.g. all-MiniLM-L6-v2) as a
 * Spring AI {@link EmbeddingModel}: no service to call, nothing downloaded at run time.
 * Thread-safe.
 */
public final class BuiltInEmbeddingModel implements EmbeddingModel {

    private final dev.vdb.embed.EmbeddingModel model;

    public BuiltInEmbeddingModel(dev.vdb.embed.EmbeddingModel model) {
        this.model = model;
    }

    /**
     * The built-in model of that name.
     *
     * @throws IllegalArgumentException naming an unknown model
     */
    public static BuiltInEmbeddingModel named(String name) {
        return new BuiltInEmbeddingModel(dev.vdb.embed.EmbeddingModels.get(name));
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        float[][] vectors = model.embed(request.getInstructions());
        List<Embedding> embeddings = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            embeddings.add(new Embedding(vectors[i], i));
        }
        return new EmbeddingResponse(embeddings);
    }

    @Override
    public float[] embed(Document document) {
        return model.embed(document.getText());
    }

    @Override
    public int dimensions() {
        return model.dimension();
    }
}
