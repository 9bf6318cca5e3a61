package dev.vdb.index.hnsw;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.testkit.data.Dataset;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recall on WordNet glosses embedded by MiniLM (384 dimensions, cosine) against the shared
 * ground truth, before and after deletes; the 2-thread build is made once and shared.
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HnswWordnetTest {

    private Dataset data;
    private HnswIndex index;

    @BeforeAll
    void buildOnce() {
        data = TestData.cosineDataset("wordnet-minilm-384-angular", 12_000, 384);
        index = TestData.build(TestData.store(data), TestData.similarity(data), TestData.range(0, data.base().length), 2);
    }

    @Test
    void deletesAndUpdatesNeverReturnDeadOrdinalsAndKeepRecallOfAFreshBuild() throws IOException {
        DeleteRecall.check(data, index, 2);
    }

    @Test
    void recallReaches95PercentWithinEf256AndDoesNotFallAsEfRises() {
        float[][] queries = TestData.preparedQueries(data);
        int[] efs = {10, 20, 40, 80, 160, 256};
        double[] recalls = new double[efs.length];
        for (int i = 0; i < efs.length; i++) {
            recalls[i] = TestData.recall(index, data, queries, queries.length, efs[i]);
        }
        System.out.println("wordnet recall@10 at ef " + Arrays.toString(efs) + ": " + Arrays.toString(recalls));
        assertTrue(recalls[efs.length - 1] >= 0.95, "recall@10 at ef 256 is " + recalls[efs.length - 1]);
        for (int i = 1; i < efs.length; i++) {
            assertTrue(recalls[i] >= recalls[i - 1] - 0.002,
                    "recall fell from " + recalls[i - 1] + " to " + recalls[i] + " at ef " + efs[i]);
        }
    }
}
