package dev.vdb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.testkit.net.Ports;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --peers} as the command line gives it: parsed in id order, and bad lists refused naming
 * what is wrong; a node whose cluster port is taken refuses to start, naming it, and the JVM lives on.
 */
class ClusterTopologyTest {

    @Test
    void parsesEveryNodeInIdOrder() {
        ClusterTopology t = ClusterTopology.parse(2, "3=10.0.0.3:6335:7335, 1=10.0.0.1:6333:7333,2=localhost:6334:7334");
        assertEquals(List.of(1, 2, 3), t.nodeIds());
        assertEquals(new NodeAddress(2, "localhost", 6334, 7334), t.self());
        assertEquals(new NodeAddress(3, "10.0.0.3", 6335, 7335), t.node(3));
        assertEquals(3, t.size());
    }

    @Test
    void refusesBadListsNamingTheValue() {
        assertRefused(1, "1=h:6333:7333,1=h:6334:7334", "node id 1 is listed twice");
        assertRefused(4, "1=h:6333:7333,2=h:6334:7334", "node-id 4 is not among the peers [1, 2]");
        assertRefused(1, "1=h:6333", "'1=h:6333' is not ID=HOST:HTTP_PORT:CLUSTER_PORT");
        assertRefused(1, "1=h:http:7333", "'1=h:http:7333' has a non-numeric id or port");
        assertRefused(1, "1=h:6333:70000", "node 1 has cluster port 70000");
        assertRefused(0, "0=h:6333:7333", "a node id must be a positive integer, got 0");
        assertRefused(1, " ", "peers must list every node");
    }

    @Test
    void aClusterPortInUseIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(Ports.free())) {
            int port = taken.getLocalPort();
            ClusterTopology t = ClusterTopology.parse(1, "1=127.0.0.1:" + Ports.free() + ":" + port);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ClusterNode.start(t, dir.resolve("node1"), ClusterOptions.DEFAULT));
            assertTrue(e.getMessage().startsWith("the cluster port " + port + " is in use"), e.getMessage());
        }
    }

    private static void assertRefused(int self, String peers, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterTopology.parse(self, peers));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
