package dev.vdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.testkit.data.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ./vdb bench --quick} end to end on a 2,000-vector slice of glove-100-angular
 * (generated data when the datasets are missing) so the harness cannot rot: every output is
 * written, the exact scan has recall 1.0 against the brute-force oracle, and every HNSW engine
 * reaches a sane recall at the top ef.
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class BenchQuickTest {

    private static final List<String> HNSW_ENGINES = List.of("ours", "ours-index", "lucene", "lucene-hnsw", "jvector", "hnswlib");

    @Test
    void quickRunWritesResultsAndRecallIsSane(@TempDir Path out) throws Exception {
        List<String> args = new ArrayList<>(List.of("--quick", "--out", out.toString(), "--warmup-seconds", "0.2",
                "--engines", "exact,ours,ours-index,lucene,lucene-hnsw,jvector,hnswlib"));
        Datasets.find("glove-100-angular").ifPresent(dir -> {
            args.add("--dataset");
            args.add(dir.toString());
        });

        assertEquals(0, BenchMain.run(args.toArray(String[]::new)));

        for (String file : List.of(Report.SWEEP_CSV, Report.SUMMARY_CSV, Report.RESULTS_MD, Report.QPS_PNG, Report.P99_PNG)) {
            assertTrue(Files.size(out.resolve(file)) > 0, file + " is missing or empty");
        }
        Map<String, String> status = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve(Report.SUMMARY_CSV)).subList(1, 8)) {
            String[] f = line.split(",", -1);
            status.put(f[0], f[1]);
        }
        String md = Files.readString(out.resolve(Report.RESULTS_MD));
        for (String engine : List.of("exact", "ours", "ours-index", "lucene", "lucene-hnsw", "jvector", "hnswlib")) {
            assertEquals("ok", status.get(engine), engine + " did not run: " + md);
        }

        Map<String, double[]> topRecall = new HashMap<>();
        List<String> sweep = Files.readAllLines(out.resolve(Report.SWEEP_CSV));
        for (String line : sweep.subList(1, sweep.size())) {
            String[] f = line.split(",");
            topRecall.merge(f[0], new double[] {Integer.parseInt(f[1]), Double.parseDouble(f[2])},
                    (a, b) -> a[0] >= b[0] ? a : b);
        }
        assertEquals(1.0, topRecall.get("exact")[1], 1e-9, "the exact scan must match the brute-force oracle");
        for (String engine : HNSW_ENGINES) {
            double recall = topRecall.get(engine)[1];
            assertTrue(recall >= 0.95, engine + " recall@10 at ef=128 is " + recall);
        }
    }
}
