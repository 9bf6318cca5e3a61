package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.filter.Filter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate JVM writes through the embedded API and is killed with SIGKILL mid-stream; the
 * reopened database holds every acknowledged batch (vector, payload, text) and its delete,
 * nothing half-applied, an id map that agrees with RocksDB, a graph that finds what exact search
 * finds, payload indexes that answer as the payloads do and a BM25 index that holds exactly the
 * surviving texts. The second cycle starts from a clean close, so the reopen replays the graph
 * and the change log into the saved files instead of rebuilding them.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveKillNine() throws Exception {
        int acked = killWriterAfter(0, 20);
        check(acked, 0);
        // a clean close saves the graph; the next crash leaves it stale
        try (VectorDb db = VectorDb.open(dir)) {
            db.collection("crash").count();
        }
        int ackedAgain = killWriterAfter(acked + 2, 10); // a tail under half the collection: replayed, not rebuilt
        CollectionDiagnostics reopened = check(ackedAgain, acked + 2);
        assertTrue(reopened.graphRecovery().startsWith("replayed"), reopened.graphRecovery());
        // the snapshots saved at the clean close are brought up to date from the change log; the
        // id map, never closed by the killed process, is rebuilt from the ids loaded from RocksDB
        assertTrue(reopened.idMapRecovery().contains("not closed cleanly"), reopened.idMapRecovery());
        assertTrue(reopened.textIndexRecovery().startsWith("replayed"), reopened.textIndexRecovery());
        assertTrue(reopened.payloadIndexRecovery().startsWith("replayed"), reopened.payloadIndexRecovery());
    }

    /** Runs the writer from batch {@code first} until {@code batches} are acknowledged, then kills it; returns the last acked batch. */
    private int killWriterAfter(int first, int batches) throws IOException, InterruptedException {
        Process process = ChildJvm.start(List.of("-Xmx256m"), KillableWriter.class, dir.toString(), Integer.toString(first));
        int last = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("acked ")) {
                    last = Integer.parseInt(line.substring(6));
                    if (last >= first + batches - 1) {
                        process.destroyForcibly(); // SIGKILL, while the next batch is being written
                        break;
                    }
                }
            }
        } finally {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(last >= first + batches - 1, "the writer died early, last acked batch " + last);
        return last;
    }

    /** Checks batches {@code first..lastAcked} (and earlier survivors) after a reopen; returns what the reopen found. */
    private CollectionDiagnostics check(int lastAcked, int first) {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("crash");
            assertNotNull(c.diagnostics().idMapRecovery(), "a killed process never closed its id map cleanly");
            assertNotNull(c.diagnostics().textIndexRecovery(), "a killed process never saved its BM25 snapshot");
            for (int b = first; b <= lastAcked + 1; b++) {
                List<Point> expected = KillableWriter.batch(b);
                List<Point> got = c.get(expected.stream().map(Point::id).toList());
                boolean inFlight = b == lastAcked + 1;
                // batch b's first point was deleted by batch b+1's call, which may be in flight
                boolean firstDeleted = b < lastAcked;
                int expectedCount = inFlight ? got.size() : KillableWriter.BATCH - (firstDeleted ? 1 : 0);
                if (b == lastAcked) {
                    // the delete after the last acked upsert may or may not have happened
                    assertTrue(got.size() == KillableWriter.BATCH || got.size() == KillableWriter.BATCH - 1);
                    expectedCount = got.size();
                }
                assertEquals(expectedCount, got.size(), "batch " + b);
                assertEquals(got.size(), c.count(Filter.match("batch", b)), "the payload index on batch " + b);
                assertTrue(!inFlight || got.isEmpty() || got.size() == KillableWriter.BATCH, "half-applied batch " + b + ": " + got.size());
                for (Point p : got) {
                    Point want = expected.get((int) (((PointId.Num) p.id()).id() - (long) b * KillableWriter.BATCH));
                    assertArrayEquals(want.vector(), p.vector());
                    assertEquals(want.payload(), p.payload());
                    assertEquals(want.text(), p.text());
                    // its text ("text <id>") is found by the id's token, and by no other point's
                    List<ScoredPoint> byText = c.search(SearchRequest.ofText(p.id().toString(), 2));
                    assertEquals(List.of(p.id()), byText.stream().map(ScoredPoint::id).toList(), "text of " + p.id());
                }
                if (firstDeleted) {
                    PointId gone = expected.get(0).id();
                    assertEquals(List.of(), c.search(SearchRequest.ofText(gone.toString(), 2)), "deleted text of " + gone);
                }
            }
            assertEquals(c.count(), Indexing.awaitIndexed(c));
            assertEquals(c.count(), c.diagnostics().textDocuments(), "every live point has a text, no dead one");
            DatabaseCheck.Report report = DatabaseCheck.check(db);
            assertTrue(report.clean(), "the id map and the graph agree with RocksDB: " + report);
            int agree = 0;
            int total = 0;
            for (int q = 0; q < 50; q++) {
                float[] query = KillableWriter.vectorOf(1_000_000 + q);
                List<ScoredPoint> exact = c.search(SearchRequest.builder().vector(query).limit(10).params(new SearchParams(0, true)).withPayload(false).build());
                List<ScoredPoint> graph = c.search(SearchRequest.builder().vector(query).limit(10).params(new SearchParams(200, false)).withPayload(false).build());
                Set<PointId> exactIds = new HashSet<>(exact.stream().map(ScoredPoint::id).toList());
                agree += (int) graph.stream().filter(h -> exactIds.contains(h.id())).count();
                total += exact.size();
            }
            assertTrue(agree >= 0.99 * total, "graph search found " + agree + " of " + total + " exact hits");
            return c.diagnostics();
        }
    }
}
