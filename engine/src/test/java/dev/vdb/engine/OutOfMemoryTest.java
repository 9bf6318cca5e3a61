package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.DatabaseCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap exhausted during writes never leaves a store that will not open: a process with a
 * 128 MiB heap upserts 1024-dimensional batches until writes fail with OutOfMemoryError, keeps
 * writing (as a server that answers 500 and runs on), and is killed with SIGKILL. The database
 * then opens with a normal heap, agrees with RocksDB, and holds every acknowledged batch exactly.
 */
class OutOfMemoryTest {

    @TempDir
    Path dir;

    @Test
    void writesAfterAnOutOfMemoryErrorLoseNothingAndTheDatabaseOpens() throws IOException, InterruptedException {
        List<Integer> acked = runWriterUntilHeapExhausted(6);
        assertTrue(!acked.isEmpty(), "no batch was acknowledged before the heap ran out");
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("oom");
            DatabaseCheck.Report report = DatabaseCheck.check(db);
            assertTrue(report.clean(), report.toString());
            for (int b : acked) {
                List<Point> expected = HeapExhaustingWriter.batch(b);
                List<Point> got = c.get(expected.stream().map(Point::id).toList());
                assertEquals(expected.size(), got.size(), "acknowledged batch " + b);
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(expected.get(i).vector(), got.get(i).vector(), "point " + got.get(i).id());
                }
            }
            // every stored point is found at its own vector
            Point probe = HeapExhaustingWriter.batch(acked.get(acked.size() - 1)).get(7);
            assertEquals(probe.id(), c.search(SearchRequest.of(probe.vector(), 1)).get(0).id());
        }
    }

    /** Runs the writer until it has tried {@code afterFailure} batches past its first failure; returns the acked batches. */
    private List<Integer> runWriterUntilHeapExhausted(int afterFailure) throws IOException, InterruptedException {
        Process process = ChildJvm.start(List.of("-Xmx128m", "-XX:+UseSerialGC"), HeapExhaustingWriter.class, dir.toString(),
                Integer.toString(afterFailure));
        List<Integer> acked = new ArrayList<>();
        int failed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("acked ")) {
                    acked.add(Integer.parseInt(line.substring(6)));
                } else if (line.startsWith("failed ")) {
                    failed++;
                } else if (line.equals("done")) {
                    break;
                }
            }
        } finally {
            process.destroyForcibly(); // SIGKILL
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(failed > 0, "the heap never ran out (acked " + acked.size() + " batches)");
        return acked;
    }
}
