package dev.vdb.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class MiniLmEmbeddingModelTest {

    private static final EmbeddingModel MODEL = EmbeddingModels.get(EmbeddingModels.ALL_MINILM_L6_V2);

    /**
     * The reference: Cranfield's {@code doc_embeddings.fvecs}, all-MiniLM-L6-v2 of each doc's
     * {@code text} (mean pooling, L2-normalised). Every 7th document, long ones included.
     */
    @Test
    @Tag("datasets")
    void embeddingsEqualTheCranfieldReference() throws IOException {
        Optional<Path> cranfield = Datasets.find("cranfield");
        Assumptions.assumeTrue(cranfield.isPresent(), "cranfield dataset missing: reference check skipped");
        float[][] reference = Vecs.readFvecs(cranfield.get().resolve("doc_embeddings.fvecs"));
        List<String> lines = Files.readAllLines(cranfield.get().resolve("docs.jsonl"));
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int row = 0; row < lines.size(); row += 7) {
            String text = json.readTree(lines.get(row)).path("text").asText("");
            if (!text.isBlank()) { // blank docs have zero rows: nothing to embed
                texts.add(text);
                rows.add(row);
            }
        }
        float[][] vectors = MODEL.embed(texts);
        double worst = 1;
        for (int i = 0; i < vectors.length; i++) {
            worst = Math.min(worst, cosine(vectors[i], reference[rows.get(i)]));
        }
        assertTrue(texts.size() > 150, "compared " + texts.size());
        assertTrue(worst >= 0.999, "lowest cosine to the reference " + worst);
    }

    @Test
    void aBatchEmbedsAsItsTextsDoOneByOneAndVectorsHaveUnitLength() {
        List<String> texts = List.of("Supersonic flow over a wedge.", "Laminar boundary layers on a flat plate.",
                "Creep of metals at elevated temperature.", "shock", "An aeroelastic flutter analysis of swept wings "
                        .repeat(60));
        float[][] batch = MODEL.embed(texts);
        assertEquals(texts.size(), batch.length);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(MODEL.embed(texts.get(i)), batch[i], 1e-5f, "text " + i);
            assertEquals(MODEL.dimension(), batch[i].length);
            assertEquals(1.0, Math.sqrt(dot(batch[i], batch[i])), 1e-5);
        }
        assertEquals(0, MODEL.embed(List.of()).length);
    }

    @Test
    void badInputIsRefusedByName() {
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> MODEL.embed(Arrays.asList("fine", " ")));
        assertEquals("texts[1] must not be blank, got ' '", blank.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingModels.get("bert-large"));
        assertTrue(unknown.getMessage().contains("'bert-large'") && unknown.getMessage().contains(EmbeddingModels.ALL_MINILM_L6_V2));
        assertSame(MODEL, EmbeddingModels.get(EmbeddingModels.ALL_MINILM_L6_V2), "models are shared");
        assertEquals(EmbeddingModels.ALL_MINILM_L6_V2, MODEL.name());
    }

    private static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
