package dev.vdb.embed;

import java.util.List;

/**
 * Turns texts into vectors in-process. This is the interface the rest of vdb (the HTTP
 * server's inference, the examples) embeds through; {@link EmbeddingModels#get} gives one by
 * name.
 *
 * <pre>{@code
 * EmbeddingModel model = EmbeddingModels.get("sentence-transformers/all-MiniLM-L6-v2");
 * float[][] vectors = model.embed(List.of("laminar flow", "shock waves"));  // 2 x 384, unit length
 * }</pre>
 *
 * <p>Implementations are thread-safe: {@link #embed(List)} may be called from any number of
 * threads at once. Each call allocates its result.
 */
public interface EmbeddingModel {

    /** The model's name, as clients ask for it: e.g. {@code sentence-transformers/all-MiniLM-L6-v2}. */
    String name();

    /** The length of every vector this model returns. */
    int dimension();

    /**
     * One vector per text, in order; each of length {@link #dimension()} and, for the built-in
     * models, unit length (so Cosine and Dot rank alike).
     *
     * @throws IllegalArgumentException naming the first text that is null or blank
     */
    float[][] embed(List<String> texts);

    /** The vector of one text. */
    default float[] embed(String text) {
        return embed(List.of(text))[0];
    }
}
