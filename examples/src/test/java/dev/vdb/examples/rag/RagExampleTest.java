package dev.vdb.examples.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.ScoredPoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RagExampleTest {

    @TempDir
    Path dir;

    @Test
    void thePromptHoldsTheTopChunksThatPassTheFilterAndTheQuestion() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String question = "What happens across a shock wave?";
        List<ScoredPoint> hits = RagExample.run(dir, question, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(RagExample.TOP_K, hits.size());
        for (ScoredPoint hit : hits) {
            assertEquals("aerodynamics", hit.payload().get("topic"), "the filter holds for " + hit.id());
            String source = (String) hit.payload().get("source");
            String chunk = new Chunker(400).chunks(SourceDocument.load(source).body())
                    .get(((Number) hit.payload().get("chunk")).intValue());
            assertTrue(printed.contains(chunk), "the prompt quotes chunk " + hit.id());
        }
        assertTrue(printed.contains("Question: " + question), printed);
        assertTrue(printed.startsWith("Indexed "), printed);
    }
}
