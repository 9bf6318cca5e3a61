package dev.vdb.bench.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.bench.BenchMain;
import dev.vdb.testkit.data.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ./vdb bench text --quick} end to end on Cranfield (a generated collection when the
 * datasets are missing) so the harness cannot rot: every output is written, our BM25 scores
 * exactly as Lucene's in the same run, and on Cranfield hybrid retrieval beats both BM25 and
 * dense alone, as the issue's reference numbers say it should.
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class TextBenchQuickTest {

    @Test
    void quickRunWritesResultsAndOurBm25MatchesLucene(@TempDir Path out) throws Exception {
        boolean real = Datasets.find("cranfield").isPresent();
        assertEquals(0, BenchMain.run("text", "--quick", "--out", out.toString(), "--rounds", "1",
                "--warmup-seconds", "0", "--rebuild-docs", "200", "--alphas", "0.5"));

        for (String file : List.of(TextBench.EFFECTIVENESS_CSV, TextBench.SPEED_CSV, TextBench.RESULTS_MD)) {
            assertTrue(Files.size(out.resolve(file)) > 0, file + " is missing or empty");
        }
        Map<String, double[]> metrics = new HashMap<>();
        List<String> lines = Files.readAllLines(out.resolve(TextBench.EFFECTIVENESS_CSV));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\",");
            String[] values = f[1].split(",");
            metrics.put(f[0].substring(1).replaceAll(" \\(Lucene.*", " (Lucene)"), new double[] {
                Double.parseDouble(values[0]), Double.parseDouble(values[1]), Double.parseDouble(values[2])});
        }
        double[] ours = metrics.get("BM25 (ours)");
        double[] lucene = metrics.get("BM25 (Lucene)");
        for (int i = 0; i < 3; i++) {
            assertEquals(lucene[i], ours[i], 1e-9, "metric " + i + " of our BM25 against Lucene's");
        }
        assertTrue(ours[0] > 0.2, "BM25 nDCG@10 " + ours[0]);
        String md = Files.readString(out.resolve(TextBench.RESULTS_MD));
        assertTrue(md.contains("equal to Lucene's (ids rank by rank, scores within 1e-4 relative): "), md);
        if (real) {
            assertTrue(md.contains(": 225 of 225 queries"), md);
            double dense = metrics.get("dense (ours, HNSW)")[0];
            for (String hybrid : List.of("hybrid RRF k=60", "hybrid weighted alpha=0.5")) {
                double ndcg = metrics.get(hybrid)[0];
                assertTrue(ndcg > ours[0] && ndcg > dense, hybrid + " nDCG@10 " + ndcg + " vs BM25 " + ours[0] + ", dense " + dense);
            }
        }
    }
}
