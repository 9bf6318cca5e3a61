package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Distance;
import dev.vdb.engine.VectorDb;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster flags refused when they do not make a cluster (before any file is written), and a
 * server started without them: shards and replicas refused with a 400 naming both, the cluster
 * routes answering "disabled".
 */
class ClusterFlagsTest {

    private static final String PEERS = "1=127.0.0.1:6333:7333,2=127.0.0.1:6334:7334,3=127.0.0.1:6335:7335";

    @TempDir
    Path dir;

    @Test
    void incompleteOrContradictoryFlagsAreRefused() {
        assertRefused(null, 7333, PEERS, 6333, "cluster mode needs all of --node-id, --cluster-port and --peers");
        assertRefused(1, null, PEERS, 6333, "cluster mode needs all of --node-id, --cluster-port and --peers");
        assertRefused(1, 7334, PEERS, 6333, "--cluster-port 7334 differs from node 1's entry in --peers");
        assertRefused(1, 7333, PEERS, 6399, "--port 6399 differs from node 1's entry in --peers");
        assertRefused(4, 7333, PEERS, 6333, "node-id 4 is not among the peers [1, 2, 3]");
        assertFalse(Files.exists(dir.resolve("node")), "nothing written for refused flags");
    }

    private void assertRefused(Integer nodeId, Integer clusterPort, String peers, int port, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterCli.openDb(dir.resolve("node"), DbOptions.DEFAULT, nodeId, clusterPort, peers, port));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aSingleNodeRefusesShardsAndReportsTheClusterDisabled() throws Exception {
        try (VectorDb db = VectorDb.open(dir.resolve("single"))) {
            VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2));
            try {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
                ApiClient.Reply refused = api.send("PUT", "collections/c",
                        "{\"vectors\":{\"size\":2,\"distance\":\"Dot\"},\"shard_number\":2,\"replication_factor\":1}");
                assertEquals(400, refused.status(), refused.body());
                assertTrue(refused.body().contains("shard_number 2 and replication_factor 1 need a cluster"), refused.body());
                assertTrue(db.collectionNames().isEmpty(), "nothing created");
                ApiClient.Reply badShards = api.send("PUT", "collections/c",
                        "{\"vectors\":{\"size\":2,\"distance\":\"Dot\"},\"shard_number\":0}");
                assertEquals(400, badShards.status(), badShards.body());
                assertTrue(badShards.body().contains("shard_number"), badShards.body());

                // Through the Java API: a JVM's first collection loads Chronicle Map's native code, which can
                // outlast the client's 30 s timeout on a loaded machine.
                db.createCollection("c", CollectionConfig.of(2, Distance.DOT));
                assertEquals("disabled", api.send("GET", "cluster", null).result().get("status").asText());
                JsonNode shards = api.send("GET", "collections/c/cluster", null).result();
                assertEquals(1, shards.get("shard_number").asInt(), shards.toString());
                assertEquals("disabled", shards.get("status").asText(), shards.toString());
                assertEquals(404, api.send("GET", "collections/missing/cluster", null).status());
                JsonNode params = api.send("GET", "collections/c", null).result().get("config").get("params");
                assertEquals(1, params.get("shard_number").asInt(), params.toString());
                assertEquals(1, params.get("replication_factor").asInt(), params.toString());
            } finally {
                server.stop(VdbServer.DEFAULT_GRACE);
            }
        }
    }
}
