package dev.vdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.bench.engines.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quantized engines through {@code ./vdb bench --quick} on generated data: every one runs,
 * and every one that rescores reaches recall@10 ≥ 0.95 against the brute-force ground truth at
 * ef 128 (its 128 candidates found on codes, rescored with full precision, out of 2,000), so
 * the rescoring paths of the peers and of ours are what the sweep measures.
 */
class QuantizedQuickTest {

    @Test
    void quantizedEnginesRunAndRescoringFindsTheTrueNeighbours(@TempDir Path out) throws Exception {
        assertEquals(0, BenchMain.run("--quick", "--out", out.toString(), "--warmup-seconds", "0.1", "--threads", "1",
                "--engines", String.join(",", Engines.QUANTIZED)));
        Map<String, String> status = new HashMap<>();
        List<String> summary = Files.readAllLines(out.resolve(Report.SUMMARY_CSV));
        for (String line : summary.subList(1, summary.size())) {
            String[] f = line.split(",", -1);
            status.put(f[0], f[1]);
        }
        Map<String, Double> recallAtTopEf = new HashMap<>();
        List<String> sweep = Files.readAllLines(out.resolve(Report.SWEEP_CSV));
        for (String line : sweep.subList(1, sweep.size())) {
            String[] f = line.split(",");
            if (Integer.parseInt(f[1]) == 128) {
                recallAtTopEf.put(f[0], Double.parseDouble(f[2]));
            }
        }
        for (String engine : Engines.QUANTIZED) {
            assertEquals("ok", status.get(engine), engine + " did not run: " + Files.readString(out.resolve(Report.RESULTS_MD)));
            if (!engine.endsWith("-norescore")) {
                assertTrue(recallAtTopEf.get(engine) >= 0.95, engine + " recall@10 at ef 128 is " + recallAtTopEf.get(engine));
            }
        }
    }
}
