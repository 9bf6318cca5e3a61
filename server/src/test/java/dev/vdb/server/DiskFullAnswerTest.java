package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.VectorDb;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk under the server (a 16 MiB tmpfs; mounting needs root, else skipped, saying so):
 * the refused upsert is answered 507 with a clean message that reveals nothing of the server's
 * filesystem (issue 14, item 8), and reads go on.
 */
class DiskFullAnswerTest {
    private static final int DIM = 128;

    @TempDir
    Path dir;

    @Test
    void aFullDiskIsA507WithoutServerPaths() throws Exception {
        Path mount = dir.resolve("tmpfs");
        Files.createDirectories(mount);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()),
                "mounting a small tmpfs needs root; skipped");
        try {
            check(mount);
        } finally {
            if (!run("umount", mount.toString())) {
                run("umount", "-l", mount.toString());
            }
        }
    }

    private static void check(Path mount) throws Exception {
        try (VectorDb db = VectorDb.open(mount.resolve("db"))) {
            VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, 8 << 20, 2));
            try {
                ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
                assertEquals(200, api.send("PUT", "collections/full",
                        "{\"vectors\":{\"size\":" + DIM + ",\"distance\":\"Euclid\"}}").status());
                Path filler = mount.resolve("filler");
                Files.write(filler, new byte[(int) Math.max(0, Files.getFileStore(mount).getUsableSpace() - 600_000)]);
                ApiClient.Reply refused = null;
                for (int b = 0; refused == null; b++) {
                    ApiClient.Reply r = api.send("PUT", "collections/full/points", TestPoints.upsertBody(b * 50L, 50, DIM));
                    if (r.status() != 200) {
                        refused = r;
                    }
                    assertTrue(b < 1_000, "16 MiB never filled up");
                }
                assertEquals(507, refused.status(), refused.body());
                assertEquals(ApiHandler.STORAGE_FULL, refused.error());
                assertFalse(refused.body().contains(mount.toString()) || refused.body().contains("/"),
                        "no path of the server in the answer: " + refused.body());
                assertEquals(200, api.send("POST", "collections/full/points/count", "{}").status(), "reads go on");
            } finally {
                server.stop(VdbServer.DEFAULT_GRACE);
            }
        }
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
