package dev.vdb.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Keeps {@code ./vdb bench http-load} working: one short round on a small collection with the
 * Java client (wrk may be missing) on every transport, every phase (embedded, trivial, full,
 * batch) answering every query without error, and every phase's writer getting its upserts in.
 * Says nothing about speed (that is the tool's job).
 */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class HttpLoadQuickTest {

    @Test
    void oneShortRoundRunsEveryPhaseWithoutErrors() throws Exception {
        HttpLoadMain load = new HttpLoadMain();
        new CommandLine(load).parseArgs("--points", "3000", "--clients", "4", "--seconds", "1", "--warmup-seconds", "0",
                "--rounds", "1", "--client", "raw", "--upserts-per-second", "5", "--upsert-batch", "10", "--batch", "4");

        List<HttpLoadMain.Round> rounds = load.measure();

        assertEquals(1, rounds.size());
        HttpLoadMain.Round r = rounds.get(0);
        assertEquals(2 + 3 * 3, r.phases().size(), r.phases().keySet().toString());
        for (HttpLoadMain.Phase p : r.phases().values()) {
            assertTrue(p.queries() > 0, p.name() + " answered no query");
            assertEquals(0, p.errors(), p.name() + " had failed or short answers");
            assertTrue(p.upserts() > 0, p.name() + "'s writer got no upsert in");
            assertTrue(p.p50() > 0 && p.p99() >= p.p50(), p.name() + " latencies " + p.p50() + " / " + p.p99());
        }
    }
}
