package dev.vdb.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports and peers lists for test clusters. */
final class TestCluster {

    private TestCluster() {}

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} nodes on 127.0.0.1 with free HTTP and cluster ports, as a --peers string. */
    static String peers(int n) {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            entries.add(i + "=127.0.0.1:" + freePort() + ":" + freePort());
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
