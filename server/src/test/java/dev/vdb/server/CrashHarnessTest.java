package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.VectorDb;
import dev.vdb.engine.check.DatabaseCheck;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CrashHarness} for {@code vdb.crash.cycles} kill cycles (system property, or the
 * {@code VDB_CRASH_CYCLES} environment variable; {@value #CI_CYCLES} by default), or fewer when a time
 * budget {@code vdb.crash.minutes} ({@code VDB_CRASH_MINUTES}) runs out first, then one clean
 * stop, after which the id map the server kept up to date must be reused on open and agree with
 * RocksDB for every id. The seed is random and printed ({@code vdb.crash.seed} replays its writes;
 * the kill moments stay random).
 */
class CrashHarnessTest {
    private static final int CI_CYCLES = 20;

    @TempDir
    Path dir;

    /** The time budget in minutes for the kill cycles, 0 for none. */
    private static long minutes() {
        String value = System.getProperty("vdb.crash.minutes", System.getenv().getOrDefault("VDB_CRASH_MINUTES", ""));
        return value.isBlank() ? 0 : Long.parseLong(value.trim());
    }

    private static int cycles() {
        String value = System.getProperty("vdb.crash.cycles", System.getenv().getOrDefault("VDB_CRASH_CYCLES", ""));
        return value.isBlank() ? CI_CYCLES : Integer.parseInt(value.trim());
    }

    /**
     * The server JVM's extra flags ({@code vdb.crash.server.flags}): by default C1 only and the
     * serial collector, which start faster and burn less CPU in a process killed within seconds
     * (about a third less time per cycle on 2 busy cores); semantics do not depend on them.
     */
    private static List<String> serverFlags() {
        String flags = System.getProperty("vdb.crash.server.flags", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        return Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
    }

    @Test
    void acknowledgedWritesSurviveRepeatedKillMinus9() throws Exception {
        long seed = Long.getLong("vdb.crash.seed", System.nanoTime());
        int cycles = cycles();
        Path data = dir.resolve("data");
        CrashHarness harness = new CrashHarness(data, dir.resolve("server.log"), seed, serverFlags());
        System.out.println("crash harness: seed " + seed + ", " + cycles + " cycles");
        long start = System.nanoTime();
        long budgetNanos = minutes() * 60_000_000_000L;
        try {
            harness.seed();
            for (int i = 0; i < cycles; i++) {
                if (budgetNanos > 0 && System.nanoTime() - start > budgetNanos) {
                    System.out.println("crash harness: the time budget ran out after " + i + " of " + cycles + " cycles");
                    cycles = i;
                    break;
                }
                harness.cycle();
                if ((i + 1) % 50 == 0) {
                    System.out.println("crash harness: " + harness.stats() + " after "
                            + (System.nanoTime() - start) / 1_000_000_000 + " s");
                }
            }
            // right after the last kill: the id map is rebuilt on open and agrees with RocksDB
            try (VectorDb db = VectorDb.open(data)) {
                String rebuilt = db.collection(CrashHarness.COLLECTION).diagnostics().idMapRecovery();
                assertTrue(rebuilt.contains("not closed cleanly"), rebuilt);
                assertEquals(List.of(), DatabaseCheck.check(db).collections().get(0).problems());
            }

            // the id map the server maintained through a run of writes, closed cleanly, is reused and agrees
            harness.finishCleanly(300);
            try (VectorDb db = VectorDb.open(data)) {
                assertNull(db.collection(CrashHarness.COLLECTION).diagnostics().idMapRecovery(),
                        "a cleanly closed id map is verified and reused");
                DatabaseCheck.CollectionReport afterStop = DatabaseCheck.check(db).collections().get(0);
                assertEquals(List.of(), afterStop.problems());
                assertEquals(harness.expectedPoints().size(), afterStop.points());
            }
        } finally {
            System.out.println("crash harness: " + harness.stats() + " in "
                    + (System.nanoTime() - start) / 1_000_000_000 + " s, seed " + seed);
        }
        assertTrue(harness.stats().cycles == cycles);
        assertTrue(harness.stats().ackedOps > cycles, "too few writes acknowledged: " + harness.stats());
    }
}
