package dev.vdb.server;

import dev.vdb.cluster.ClusterNode;
import dev.vdb.cluster.ClusterOptions;
import dev.vdb.cluster.ClusterTopology;
import dev.vdb.cluster.ClusterVectorDb;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.VectorDb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code ./vdb serve}'s cluster flags: without {@code --peers} the server opens its directory
 * alone, as it always did; with them it starts a cluster node. Stateless.
 */
final class ClusterCli {

    /** Snapshot spacing in log entries (system property; tests that must see snapshots installed). */
    static final String SNAPSHOT_EVERY = "vdb.cluster.snapshotEvery";

    /**
     * Milliseconds a write (or a read) may wait for its shard's majority before it is refused
     * with 503 (system property; {@link ClusterOptions#DEFAULT}'s 15 s otherwise).
     */
    static final String WRITE_TIMEOUT_MS = "vdb.cluster.writeTimeoutMs";

    private ClusterCli() {}

    static VectorDb openDb(Path dir, DbOptions dbOptions, Integer nodeId, Integer clusterPort, String peers, int httpPort) {
        if (peers == null && nodeId == null && clusterPort == null) {
            return VectorDb.open(dir, dbOptions);
        }
        if (peers == null || nodeId == null || clusterPort == null) {
            throw new IllegalArgumentException("cluster mode needs all of --node-id, --cluster-port and --peers");
        }
        ClusterTopology topology = ClusterTopology.parse(nodeId, peers);
        if (topology.self().clusterPort() != clusterPort) {
            throw new IllegalArgumentException("--cluster-port " + clusterPort + " differs from node " + nodeId
                    + "'s entry in --peers (" + topology.self() + ")");
        }
        if (httpPort != 0 && topology.self().httpPort() != httpPort) {
            throw new IllegalArgumentException("--port " + httpPort + " differs from node " + nodeId
                    + "'s entry in --peers (" + topology.self() + ")");
        }
        ClusterOptions options = ClusterOptions.DEFAULT;
        String every = System.getProperty(SNAPSHOT_EVERY);
        if (every != null) {
            options = options.withSnapshotEvery(Long.parseLong(every));
        }
        String writeTimeout = System.getProperty(WRITE_TIMEOUT_MS);
        if (writeTimeout != null) {
            options = options.withWriteTimeout(Duration.ofMillis(Long.parseLong(writeTimeout)));
        }
        return new ClusterVectorDb(ClusterNode.start(topology, dir, options));
    }

    /**
     * The start-up line's account of a cluster node. Points are not counted: a count asks a
     * majority of every shard, which a node starting before the others does not have yet.
     */
    static String describe(ClusterVectorDb db, boolean existed) {
        ClusterTopology topology = db.node().topology();
        int collections = db.collectionNames().size();
        return String.format(Locale.ROOT, "%s, cluster node %d of %d, %d clustered collection%s",
                existed ? "opened" : "created", topology.selfId(), topology.size(), collections,
                collections == 1 ? "" : "s");
    }
}
