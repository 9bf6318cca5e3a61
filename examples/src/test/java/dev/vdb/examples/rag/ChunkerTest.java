package dev.vdb.examples.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    /**
     * Each chunk is a run of consecutive sentences within the limit (or one longer sentence);
     * a chunk of two or more sentences hands its last one on to the next chunk; together they
     * cover every sentence, in order, to the last.
     */
    @Test
    void chunksAreRunsOfSentencesWithinTheLimitOverlappingByOne() {
        for (String name : RagExample.DOCUMENTS) {
            String body = SourceDocument.load(name).body();
            List<String> sentences = Chunker.sentences(body);
            assertTrue(sentences.size() > 5, name);
            for (int max : new int[] {1, 120, 400, 100_000}) {
                List<String> chunks = new Chunker(max).chunks(body);
                int start = 0;
                int end = 0;
                for (String chunk : chunks) {
                    StringBuilder rebuilt = new StringBuilder(sentences.get(start));
                    end = start + 1;
                    while (rebuilt.length() < chunk.length()) {
                        rebuilt.append(' ').append(sentences.get(end++));
                    }
                    assertEquals(rebuilt.toString(), chunk, name + " at " + max);
                    assertTrue(chunk.length() <= max || end - start == 1, "over the limit: " + chunk);
                    start = Math.max(start + 1, end - 1);
                }
                assertEquals(sentences.size(), end, "the last chunk ends with the last sentence");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Chunker(0));
    }
}
