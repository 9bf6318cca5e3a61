package dev.vdb.bench.engines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vdb.bench.Progress;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import org.junit.jupiter.api.Test;

/** The exact engine (SIMD scan + packed heap) against the double-precision brute-force oracle. */
class ExactEngineTest {

    @Test
    void matchesBruteForceForEveryMetric() throws Exception {
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            Dataset d = Dataset.generate(1_500, 50, 48, Metric.valueOf(similarity.name()), 10, 3);
            float[][] base = new float[d.base().length][];
            for (int i = 0; i < base.length; i++) {
                base[i] = similarity.prepare(d.base()[i]);
            }
            try (ExactEngine engine = new ExactEngine(similarity)) {
                engine.build(base, 1, Progress.silent());
                AnnEngine.Session session = engine.newSession();
                for (int q = 0; q < d.queries().length; q++) {
                    int[] found = session.search(similarity.prepare(d.queries()[q]), 10, 0);
                    assertArrayEquals(d.groundTruth()[q], found, similarity + " query " + q);
                }
            }
        }
    }
}
