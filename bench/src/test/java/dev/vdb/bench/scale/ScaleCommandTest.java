package dev.vdb.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.bench.BenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./vdb bench scale} end to end on a small generated set: the engine runs in a child JVM
 * with the given heap and its measurements come back to the report (recall against the set's
 * exact ground truth); a child that cannot run in its heap is reported as failed; with several
 * builds the first and the last are reported.
 */
class ScaleCommandTest {

    @Test
    void theEngineRunsInItsOwnJvmAndAStarvedOneIsReportedAsFailed(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        int exit = BenchMain.run("scale", "--dataset", "generated:3000:16", "--queries", "40", "--engines", "lucene-int7",
                "--ef", "10,64", "--rounds", "1", "--warmup-seconds", "0", "--heap", "256m", "--threads", "1",
                "--data-dir", dir.resolve("data").toString(), "--out", out.toString());
        assertEquals(0, exit);
        String md = Files.readString(out.resolve("results.md"));
        String row = md.lines().filter(l -> l.startsWith("| lucene-int7 |")).findFirst().orElseThrow();
        assertTrue(!row.contains("failed"), row);
        String[] cells = row.split("\\|");
        assertTrue(Long.parseLong(cells[5].trim().split(" ")[0].replace(",", "")) > 0, "RSS MB: " + row);
        double bestRecall = Double.parseDouble(cells[11].trim().split(" ")[0]);
        assertTrue(bestRecall >= 0.9, "rescoring 64 candidates of 3,000 found " + bestRecall + ": " + row);

        Path starved = dir.resolve("starved");
        exit = BenchMain.run("scale", "--dataset", "generated:3000:16", "--queries", "40", "--engines", "lucene-int7",
                "--ef", "10", "--rounds", "1", "--warmup-seconds", "0", "--heap", "6m", "--threads", "1",
                "--data-dir", dir.resolve("data").toString(), "--out", starved.toString());
        assertEquals(1, exit, "no engine had a result");
        row = Files.readString(starved.resolve("results.md")).lines()
                .filter(l -> l.startsWith("| lucene-int7 |")).findFirst().orElseThrow();
        assertTrue(row.contains("failed: child exited"), row);

        // two builds in the JVM: the first (a fresh JVM's) and the last, which the sweep measured, both reported
        Path twice = dir.resolve("twice");
        exit = BenchMain.run("scale", "--dataset", "generated:3000:16", "--queries", "40", "--engines", "ours-index",
                "--ef", "64", "--rounds", "1", "--warmup-seconds", "0", "--heap", "256m", "--threads", "1", "--builds", "2",
                "--data-dir", dir.resolve("data").toString(), "--out", twice.toString());
        assertEquals(0, exit);
        md = Files.readString(twice.resolve("results.md"));
        assertTrue(md.contains("| engine | first build s | build s (threads) |"), md);
        cells = md.lines().filter(l -> l.startsWith("| ours-index |")).findFirst().orElseThrow().split("\\|");
        assertTrue(Double.parseDouble(cells[2].trim()) > 0 && Double.parseDouble(cells[3].trim().split(" ")[0]) > 0, md);
    }
}
