package dev.vdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.cluster.shard.ShardStateMachine;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that was down while its shard wrote far more than the snapshot spacing finds the
 * leader's log purged: it must install the leader's snapshot (the exported points and payload
 * indexes), replay the rest of the log, and then hold exactly what the other replicas hold.
 */
class SnapshotInstallTest {

    @TempDir
    Path dir;

    @Test
    void aLaggingReplicaInstallsTheSnapshotAndReplaysTheRest() throws Exception {
        String peers = TestCluster.peers(3);
        ClusterOptions options = ClusterOptions.DEFAULT.withSnapshotEvery(20).withLogSegmentBytes(4096);
        List<ClusterNode> nodes = TestCluster.startAll(peers, dir, options);
        try {
            CollectionSpec spec = nodes.get(0).createCollection("snap", CollectionConfig.of(4, Distance.EUCLID), 1, 3);
            DistributedCollection c = nodes.get(0).collection("snap").orElseThrow();
            c.createPayloadIndex("k", PayloadSchema.INTEGER);
            Random r = new Random(3);
            write(c, r, 0, 10);
            nodes.get(2).close();
            write(c, r, 10, 150);   // 140 entries: several snapshots, the log purged past node 3
            c.delete(List.of(PointId.of(5), PointId.of(77)));
            Path snapshots = dir.resolve("node1").resolve("raft").resolve(spec.groupId(0).getUuid().toString())
                    .resolve("sm");
            try (Stream<Path> files = Files.list(snapshots)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot.")),
                        "the leader took snapshots in " + snapshots);
            }
            nodes.set(2, ClusterNode.start(ClusterTopology.parse(3, peers), dir.resolve("node3"), options));
            write(c, r, 150, 160);
            ShardStateMachine lagging = ClusterCalls.await(() -> {
                ShardStateMachine sm = nodes.get(2).localReplica(spec, 0);
                ShardStateMachine leader = nodes.get(0).localReplica(spec, 0);
                return sm != null && sm.getLastAppliedTermIndex() != null
                        && sm.getLastAppliedTermIndex().getIndex() >= leader.getLastAppliedTermIndex().getIndex()
                        ? Optional.of(sm) : Optional.empty();
            }, Duration.ofSeconds(60), "node 3 to catch up");
            List<Point> expected = InProcessClusterTest.pagePoints(nodes.get(0).localReplica(spec, 0).collection());
            List<Point> actual = InProcessClusterTest.pagePoints(lagging.collection());
            assertEquals(158, expected.size());
            assertTrue(lagging.snapshotsLoaded() > 0, "node 3 caught up by installing a snapshot");
            InProcessClusterTest.assertSamePoints(expected, actual);
            assertEquals(nodes.get(0).localReplica(spec, 0).collection().payloadIndexes(),
                    lagging.collection().payloadIndexes());
        } finally {
            nodes.forEach(ClusterNode::close);
        }
    }

    private static void write(DistributedCollection c, Random r, int from, int to) {
        for (int i = from; i < to; i++) {
            float[] v = {r.nextFloat(), r.nextFloat(), r.nextFloat(), r.nextFloat()};
            c.upsert(List.of(Point.of(i, v, Map.of("k", i % 7))));
        }
    }
}
