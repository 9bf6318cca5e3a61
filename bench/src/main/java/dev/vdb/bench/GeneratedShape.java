package dev.vdb.bench;

import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import dev.vdb.testkit.data.ImageLikeGenerator;
import java.util.function.IntFunction;

/** The kinds of generated data a {@code --dataset} value can name instead of a folder. */
public enum GeneratedShape {
    /** {@code generated:DIM}: clustered vectors shaped like real embeddings ({@link EmbeddingLikeGenerator}). */
    EMBEDDINGS("generated"),
    /**
     * {@code generated-images}: 28×28 MNIST-like digit images, 784-d, pixel values 0..255, meant
     * for L2 ({@link ImageLikeGenerator}).
     */
    IMAGES("generated-images");

    private static final String EMBEDDINGS_PREFIX = "generated:";

    /** Starts the data's name, and so the names of its report folder and ground-truth cache file. */
    final String namePrefix;

    GeneratedShape(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /** The shape a {@code --dataset} value names, or null when it names a folder. */
    public static GeneratedShape of(String dataset) {
        if (dataset.startsWith(EMBEDDINGS_PREFIX)) {
            return EMBEDDINGS;
        }
        return dataset.equals(IMAGES.namePrefix) ? IMAGES : null;
    }

    /** The dimension a {@code --dataset} value of this shape asks for: DIM of {@code generated:DIM}, 784 for images. */
    public int dimension(String dataset) {
        if (this == IMAGES) {
            return ImageLikeGenerator.DIMENSION;
        }
        String dim = dataset.substring(EMBEDDINGS_PREFIX.length());
        try {
            int d = Integer.parseInt(dim);
            if (d >= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--dataset generated:DIM needs a positive dimension, got '" + dataset + "'");
    }

    /**
     * A source of vectors: each call returns the next that many, deterministic for the seed.
     *
     * @param expectedCount how many vectors will be drawn (sets the number of embedding clusters)
     */
    IntFunction<float[][]> generator(int dim, int expectedCount, long seed) {
        return switch (this) {
            case EMBEDDINGS -> new EmbeddingLikeGenerator(dim, expectedCount, seed)::next;
            case IMAGES -> {
                if (dim != ImageLikeGenerator.DIMENSION) {
                    throw new IllegalArgumentException("generated images have dimension " + ImageLikeGenerator.DIMENSION + ", not " + dim);
                }
                yield new ImageLikeGenerator(seed)::next;
            }
        };
    }
}
