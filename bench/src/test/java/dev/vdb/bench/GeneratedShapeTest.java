package dev.vdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The int8 shape is the embeddings' shape scaled to ±127 and rounded: whole numbers, each vector reaching 127. */
class GeneratedShapeTest {

    @Test
    void int8EmbeddingsAreTheEmbeddingsRoundedToWholeNumbers() {
        GeneratedShape shape = GeneratedShape.of("generated-int8:96");
        assertSame(GeneratedShape.INT8_EMBEDDINGS, shape);
        assertEquals(96, shape.dimension("generated-int8:96"));
        float[][] ints = shape.generator(96, 500, 42).apply(500);
        float[][] floats = GeneratedShape.EMBEDDINGS.generator(96, 500, 42).apply(500);
        for (int i = 0; i < ints.length; i++) {
            float max = 0;
            float floatMax = 0;
            for (int d = 0; d < 96; d++) {
                float x = ints[i][d];
                assertTrue(x == Math.rint(x) && Math.abs(x) <= 127, "component " + x);
                max = Math.max(max, Math.abs(x));
                floatMax = Math.max(floatMax, Math.abs(floats[i][d]));
            }
            assertEquals(127f, max, "vector " + i);
            for (int d = 0; d < 96; d++) {
                assertEquals(Math.round(floats[i][d] * (127 / floatMax)), ints[i][d], "vector " + i + ", component " + d);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> shape.dimension("generated-int8:x"));
    }
}
