package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /collections/{name}} says whether the collection was loaded, and counts it right
 * either way; {@code /metrics} counts loaded collections and a scrape loads none.
 */
class CollectionLoadStateTest {

    @TempDir
    Path dir;

    @Test
    void collectionInfoSaysWhetherItWasLoadedAndMetricsLoadNothing() throws Exception {
        try (VectorDb db = VectorDb.open(dir, DbOptions.DEFAULT.withUnloadAfterIdle(Duration.ofSeconds(1)))) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(2, Distance.DOT));
            c.upsert(List.of(Point.of(1, new float[] {1, 0}), Point.of(2, new float[] {0, 1})));
            VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2));
            try {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (c.isLoaded()) {
                    assertTrue(System.nanoTime() < deadline, "not unloaded within 20 s of an idle time of 1 s");
                    Thread.sleep(20);
                }
                String metrics = api.send("GET", "metrics", (String) null).body();
                assertTrue(metrics.contains("vdb_collections_loaded 0.0"), metrics);
                assertFalse(c.isLoaded(), "a metrics scrape loaded the collection");
                ApiClient.Reply cold = api.send("GET", "collections/c", (String) null);
                assertEquals(200, cold.status(), cold.body());
                assertFalse(cold.result().get("loaded").asBoolean(), cold.body());
                assertEquals(2, cold.result().get("points_count").asLong());
                // asked again at once (well within the idle time): it is loaded now
                ApiClient.Reply warm = api.send("GET", "collections/c", (String) null);
                assertTrue(warm.result().get("loaded").asBoolean(), warm.body());
                assertEquals(2, warm.result().get("points_count").asLong());
            } finally {
                server.stop(VdbServer.DEFAULT_GRACE);
            }
        }
    }
}
