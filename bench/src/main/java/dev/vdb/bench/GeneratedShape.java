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
    IMAGES("generated-images"),
    /**
     * {@code generated-int8:DIM}: the clustered embeddings of {@link #EMBEDDINGS} as an embedding
     * API's int8 output gives them: each vector scaled so its largest component is ±127 and
     * rounded, whole numbers -127..127 stored as floats.
     */
    INT8_EMBEDDINGS("generated-int8");

    private static final String EMBEDDINGS_PREFIX = "generated:";
    private static final String INT8_PREFIX = "generated-int8:";

    /** Starts the data's name, and so the names of its report folder and ground-truth cache file. */
    public final String namePrefix;

    GeneratedShape(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /** The shape a {@code --dataset} value names, or null when it names a folder. */
    public static GeneratedShape of(String dataset) {
        if (dataset.startsWith(EMBEDDINGS_PREFIX)) {
            return EMBEDDINGS;
        }
        if (dataset.startsWith(INT8_PREFIX)) {
            return INT8_EMBEDDINGS;
        }
        return dataset.equals(IMAGES.namePrefix) ? IMAGES : null;
    }

    /** The dimension a {@code --dataset} value of this shape asks for: DIM of {@code generated:DIM} or {@code generated-int8:DIM}, 784 for images. */
    public int dimension(String dataset) {
        if (this == IMAGES) {
            return ImageLikeGenerator.DIMENSION;
        }
        String prefix = this == EMBEDDINGS ? EMBEDDINGS_PREFIX : INT8_PREFIX;
        String dim = dataset.substring(prefix.length());
        try {
            int d = Integer.parseInt(dim);
            if (d >= 1) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--dataset " + prefix + "DIM needs a positive dimension, got '" + dataset + "'");
    }

    /**
     * A source of vectors: each call returns the next that many, deterministic for the seed.
     *
     * @param expectedCount how many vectors will be drawn (sets the number of embedding clusters)
     */
    public IntFunction<float[][]> generator(int dim, int expectedCount, long seed) {
        return switch (this) {
            case EMBEDDINGS -> new EmbeddingLikeGenerator(dim, expectedCount, seed)::next;
            case INT8_EMBEDDINGS -> {
                EmbeddingLikeGenerator embeddings = new EmbeddingLikeGenerator(dim, expectedCount, seed);
                yield count -> toInt8(embeddings.next(count));
            }
            case IMAGES -> {
                if (dim != ImageLikeGenerator.DIMENSION) {
                    throw new IllegalArgumentException("generated images have dimension " + ImageLikeGenerator.DIMENSION + ", not " + dim);
                }
                yield new ImageLikeGenerator(seed)::next;
            }
        };
    }

    /** Each vector scaled so its largest component is ±127, then rounded to whole numbers. */
    private static float[][] toInt8(float[][] vectors) {
        for (float[] v : vectors) {
            float max = 0;
            for (float x : v) {
                max = Math.max(max, Math.abs(x));
            }
            float scale = max == 0 ? 0 : 127 / max;
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.round(v[i] * scale);
            }
        }
        return vectors;
    }
}
