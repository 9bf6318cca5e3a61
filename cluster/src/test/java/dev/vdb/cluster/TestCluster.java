package dev.vdb.cluster;

import dev.vdb.testkit.net.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Peers lists on free ports ({@link Ports}) for test clusters. */
final class TestCluster {

    private TestCluster() {}


    /** {@code n} nodes on 127.0.0.1 with free HTTP and cluster ports, as a --peers string. */
    static String peers(int n) {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            entries.add(i + "=127.0.0.1:" + Ports.free() + ":" + Ports.free());
        }
        return String.join(",", entries);
    }

    static List<ClusterNode> startAll(String peers, Path dir, ClusterOptions options) {
        List<ClusterNode> nodes = new ArrayList<>();
        int n = peers.split(",").length;
        for (int i = 1; i <= n; i++) {
            nodes.add(ClusterNode.start(ClusterTopology.parse(i, peers), dir.resolve("node" + i), options));
        }
        return nodes;
    }
}
