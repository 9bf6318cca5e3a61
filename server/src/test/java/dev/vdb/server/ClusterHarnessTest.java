package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterHarness}: three node processes; {@code vdb.cluster.cycles} (system property or
 * {@code VDB_CLUSTER_CYCLES}; {@value #CI_CYCLES} in the default suite, 200 for the record) cycles
 * of {@code kill -9} of one node under concurrent writes and searches (the first kills a shard's
 * leader), in which writes and searches must keep being answered while it is down, and a
 * restart; a check against the model every {@value #CHECK_EVERY} cycles; a node cut off from
 * the majority refusing writes; a check at the end; and every replica of every shard compared
 * point by point.
 */
class ClusterHarnessTest {

    private static final int CI_CYCLES = 1;
    private static final int CHECK_EVERY = 10;

    @TempDir
    Path dir;

    private static int cycles() {
        String v = System.getProperty("vdb.cluster.cycles", System.getenv().getOrDefault("VDB_CLUSTER_CYCLES", ""));
        return v.isBlank() ? CI_CYCLES : Integer.parseInt(v.trim());
    }

    private static List<String> nodeFlags() {
        // A short write timeout keeps the isolated node's refusal quick; frequent snapshots put
        // restarts on top of snapshots, as a long-running node's are.
        String flags = System.getProperty("vdb.cluster.node.flags", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
                + "-D" + ClusterCli.WRITE_TIMEOUT_MS + "=4000 -D" + ClusterCli.SNAPSHOT_EVERY + "=100");
        return Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
    }

    private static void phase(String what, long start) {
        System.out.println("cluster harness: " + what + " after " + (System.nanoTime() - start) / 1_000_000_000 + " s");
    }

    @Test
    void acknowledgedWritesSurviveKillsOfAnyNodeAndReplicasConverge() throws Exception {
        long seed = Long.getLong("vdb.cluster.seed", System.nanoTime());
        int cycles = cycles();
        System.out.println("cluster harness: seed " + seed + ", " + cycles + " cycles");
        ClusterHarness h = new ClusterHarness(dir, seed, nodeFlags());
        long start = System.nanoTime();
        try {
            h.startAll();
            h.startLoad(2);
            assertTrue(h.awaitAcks(10, 120), "writes are acknowledged: " + h.stats());
            phase("started, writing", start);
            for (int c = 0; c < cycles; c++) {
                int victim;
                if (c == 0) {
                    victim = h.leaderOf(0);
                    assertTrue(victim >= 0, "shard 0 has a leader");
                } else {
                    victim = h.randomNode();
                }
                h.killOne(victim);
                assertTrue(h.awaitAcks(10, 120), "writes go on with node " + (victim + 1) + " killed: " + h.stats());
                assertTrue(h.awaitSearches(5, 120), "searches go on with node " + (victim + 1) + " killed: " + h.stats());
                if (c == 0) {
                    int newLeader = h.leaderOf(0);
                    assertTrue(newLeader >= 0, "shard 0 elected a new leader");
                    assertNotEquals(victim, newLeader, "the killed leader is not the leader");
                }
                h.nodes.get(victim).start();
                assertTrue(h.awaitAcks(5, 120), "writes go on after node " + (victim + 1) + " restarted: " + h.stats());
                if (c == 0) {
                    phase("first kill cycle (a shard leader)", start);
                }
                if ((c + 1) % CHECK_EVERY == 0) {
                    h.stopLoad();
                    h.checkAll();
                    h.startLoad(2);
                }
                if ((c + 1) % 25 == 0) {
                    System.out.println("cluster harness: " + h.stats() + " after " + (System.nanoTime() - start) / 1_000_000_000 + " s");
                }
            }
            h.stopLoad();
            h.isolatedNodeRefusesWrites(h.randomNode());
            phase("isolated node refused", start);
            h.checkAll();
            phase("checked against the model", start);
            h.stopAndCompareReplicas();
            System.out.println("cluster harness: " + h.stats() + "; replicas identical; "
                    + (System.nanoTime() - start) / 1_000_000_000 + " s");
        } catch (Throwable t) {
            for (ClusterNodeProcess n : h.nodes) {
                System.out.println("---- node " + n.id() + " log tail:\n" + n.tail());
            }
            throw t;
        } finally {
            h.killAll();
        }
    }
}
