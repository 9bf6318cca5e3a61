package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /collections/{name}} says whether the tenants' graphs are still being built in the
 * background, as the engine's diagnostics do: true while they build after a load, false once done.
 */
class TenantGraphsBuildingInfoTest {

    private static final int DIM = 16;
    private static final int TENANTS = 4;
    private static final int POINTS_PER_TENANT = 5_000;

    @TempDir
    Path dir;

    @Test
    void collectionInfoReportsTheTenantGraphBuild() throws Exception {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(DIM, Distance.COSINE));
            c.createPayloadIndex("tenant", PayloadSchema.KEYWORD, true);
            Random random = new Random(3);
            List<Point> points = new ArrayList<>();
            for (int id = 0; id < TENANTS * POINTS_PER_TENANT; id++) {
                float[] v = new float[DIM];
                for (int d = 0; d < DIM; d++) {
                    v[d] = (float) random.nextGaussian();
                }
                points.add(Point.of(id, v, Map.of("tenant", "t" + id % TENANTS)));
            }
            c.upsert(points);
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2));
            try {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
                VectorCollection c = db.collection("c");
                // the first request loads the collection, which starts the build; the build only
                // ends, so a reply between two reads of the diagnostics agrees with both when they agree
                boolean sawBuilding = false;
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                boolean before;
                do {
                    assertTrue(System.nanoTime() < deadline, "the tenant graphs were not built within 5 minutes");
                    before = c.diagnostics().tenantGraphsBuilding();
                    ApiClient.Reply info = api.send("GET", "collections/c", (String) null);
                    boolean after = c.diagnostics().tenantGraphsBuilding();
                    assertEquals(200, info.status(), info.body());
                    boolean reported = info.result().get("tenant_graphs_building").asBoolean();
                    if (before == after) {
                        assertEquals(after, reported, info.body());
                    }
                    sawBuilding |= reported;
                } while (before);
                assumeTrue(sawBuilding, "the build ended before a request could see it");
                ApiClient.Reply done = api.send("GET", "collections/c", (String) null);
                assertFalse(done.result().get("tenant_graphs_building").asBoolean(), done.body());
            } finally {
                server.stop(VdbServer.DEFAULT_GRACE);
            }
        }
    }
}
