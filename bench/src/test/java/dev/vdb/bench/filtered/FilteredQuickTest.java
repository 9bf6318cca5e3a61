package dev.vdb.bench.filtered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.bench.BenchMain;
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
 * Runs {@code ./vdb bench filtered --quick} end to end on a 2,000-vector slice of
 * glove-100-angular (generated data with a random rank column when the datasets are missing),
 * with two filters, so the filtered harness cannot rot: every output is written, the exact scan
 * of the matching points has recall 1.0 against the brute-force oracle, ours (auto, pre, post,
 * graph), Lucene (query and graph) and jvector reach a sane recall at the top ef, and the
 * naive post-filter answers short on the selective filter, which is what the planner exists for.
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class FilteredQuickTest {

    @Test
    void quickFilteredRunWritesResultsAndRecallIsSane(@TempDir Path out) throws Exception {
        List<String> args = new ArrayList<>(List.of("filtered", "--quick", "--out", out.toString(),
                "--warmup-seconds", "0.1", "--queries", "30"));
        Datasets.find("glove-100-angular").ifPresentOrElse(dir -> {
            args.addAll(List.of("--dataset", dir.toString(), "--filter", "freq_rank<600;freq_rank<100"));
        }, () -> args.addAll(List.of("--filter", "rank<30%;rank<5%")));

        assertEquals(0, BenchMain.run(args.toArray(String[]::new)));

        for (String file : List.of(FilteredReport.SWEEP_CSV, FilteredReport.RESULTS_MD, FilteredReport.QPS_PNG)) {
            assertTrue(Files.size(out.resolve(file)) > 0, file + " is missing or empty");
        }
        // filter → variant → [ef, recall, short answers] of the largest ef
        Map<String, Map<String, double[]>> top = new HashMap<>();
        List<String> rows = Files.readAllLines(out.resolve(FilteredReport.SWEEP_CSV));
        for (String line : rows.subList(1, rows.size())) {
            int close = line.indexOf("\",");
            String filter = line.substring(1, close);
            String[] f = line.substring(close + 2).split(",");
            double[] point = {Integer.parseInt(f[2]), Double.parseDouble(f[3]), Integer.parseInt(f[10])};
            top.computeIfAbsent(filter, x -> new HashMap<>()).merge(f[1], point, (a, b) -> a[0] >= b[0] ? a : b);
        }
        assertEquals(3, top.size(), "the unfiltered case and two filters: " + top.keySet());
        String md = Files.readString(out.resolve(FilteredReport.RESULTS_MD));
        int naiveShort = 0;
        for (Map.Entry<String, Map<String, double[]>> e : top.entrySet()) {
            Map<String, double[]> v = e.getValue();
            assertEquals(1.0, v.get("ours-exact")[1], 1e-9, "exact scan of the matches vs the oracle on " + e.getKey());
            for (String variant : List.of("ours-auto", "ours-pre", "ours-post", "ours-graph", "lucene", "lucene-graph", "jvector")) {
                assertTrue(v.containsKey(variant), variant + " did not run on " + e.getKey() + ": " + md);
                assertTrue(v.get(variant)[1] >= 0.9, variant + " recall on " + e.getKey() + " is " + v.get(variant)[1]);
            }
            naiveShort = Math.max(naiveShort, (int) v.get("naive-post")[2]);
        }
        assertTrue(naiveShort > 0, "the naive post-filter should answer short on the selective filter: " + md);
    }
}
