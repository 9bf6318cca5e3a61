package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the database lives on a 16 MiB tmpfs (mounting one needs root; the test is
 * skipped, saying so, where that is not allowed) that a filler file fills while points are
 * written. The write that meets the full disk fails with a clear error, later writes are refused
 * too, reads and searches go on answering exactly the acknowledged points, and once the filler
 * is gone a reopen holds every acknowledged point and accepts writes again.
 */
class DiskFullTest {

    private static final int DIM = 128;
    private static final int BATCH = 50;

    @TempDir
    Path dir;

    @Test
    void fullDiskRefusesWritesKeepsReadsAndRecoversOnReopen() throws Exception {
        Path mount = dir.resolve("tmpfs");
        Files.createDirectories(mount);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()),
                "mounting a small tmpfs needs root; skipped");
        try {
            check(mount);
        } finally {
            boolean unmounted = run("umount", mount.toString());
            if (!unmounted) {
                run("umount", "-l", mount.toString()); // never leave the mount behind
            }
            assertTrue(unmounted, "umount " + mount + " failed: a file on it is still open after every database was closed");
        }
    }

    private void check(Path mount) throws IOException {
        Path data = mount.resolve("db");
        Path filler = mount.resolve("filler");
        SplittableRandom random = new SplittableRandom(8);
        int acked = 0;
        try (VectorDb db = VectorDb.open(data)) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(DIM, Distance.EUCLID));
            // leave about 600 KB: room for a few batches of 50 x 512-byte vectors
            Files.write(filler, new byte[(int) Math.max(0, Files.getFileStore(mount).getUsableSpace() - 600_000)]);
            IllegalStateException refused = null;
            while (refused == null) {
                try {
                    c.upsert(batch(acked, random));
                    acked++;
                } catch (IllegalStateException e) {
                    refused = e;
                }
                assertTrue(acked < 1_000, "16 MiB never filled up");
            }
            assertTrue(acked > 0, "no batch fitted");
            assertInstanceOf(StorageFullException.class, refused, "a full disk is told apart (HTTP 507)");
            assertTrue(refused.getMessage().contains("collection 'c': upsert failed in RocksDB")
                    && refused.getMessage().contains("No space left on device")
                    && refused.getMessage().contains("free space and reopen the database"), refused.getMessage());
            assertReadsMatch(c, acked);
            // later writes are refused as well, even once space is back (the error is sticky)
            assertThrows(IllegalStateException.class, () -> c.delete(List.of(PointId.of(0))));
            Files.delete(filler);
            assertThrows(IllegalStateException.class, () -> c.upsert(List.of(Point.of(1_000_000, new float[DIM]))));
            assertReadsMatch(c, acked);
        }
        try (VectorDb db = VectorDb.open(data)) {
            VectorCollection c = db.collection("c");
            // the refused batch was never acknowledged: it may be there or not, but never in part
            List<Point> refusedBatch = c.get(batch(acked, new SplittableRandom(0)).stream().map(Point::id).toList());
            assertTrue(refusedBatch.isEmpty() || refusedBatch.size() == BATCH, refusedBatch.size() + " points of the refused batch");
            int present = acked + (refusedBatch.isEmpty() ? 0 : 1);
            assertReadsMatch(c, present);
            assertEquals(present * BATCH, c.count());
            c.upsert(List.of(Point.of(1_000_000, new float[DIM])));
            c.delete(List.of(PointId.of(0)));
        }
        try (VectorDb db = VectorDb.open(data)) {
            VectorCollection c = db.collection("c");
            assertNotNull(c.get(PointId.of(1_000_000)).orElse(null), "a write after the reopen is durable");
            assertTrue(c.get(PointId.of(0)).isEmpty());
        }
    }

    /** Batch {@code b}: ids {@code b*BATCH ..}, each vector's first coordinate its id. */
    private static List<Point> batch(int b, SplittableRandom random) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            float[] v = PointsTest.randomVector(random, DIM);
            v[0] = b * BATCH + i;
            points.add(Point.of(b * BATCH + i, v));
        }
        return points;
    }

    /** Exactly batches {@code 0..batches-1} are readable, each point its own nearest neighbour. */
    private static void assertReadsMatch(VectorCollection c, int batches) {
        assertEquals((long) batches * BATCH, c.count());
        for (int b = 0; b < batches; b++) {
            List<PointId> ids = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                ids.add(PointId.of(b * BATCH + i));
            }
            List<Point> got = c.get(ids);
            assertEquals(BATCH, got.size(), "batch " + b);
            for (Point p : got) {
                assertEquals(((PointId.Num) p.id()).id(), (long) p.vector()[0]);
            }
        }
        Point some = c.get(PointId.of((batches - 1) * BATCH)).orElseThrow();
        assertEquals(some.id(), c.search(SearchRequest.builder().vector(some.vector()).limit(1).params(new SearchParams(0, true)).withPayload(false).build())
                .get(0).id());
        assertEquals(some.id(), c.search(SearchRequest.of(some.vector(), 1)).get(0).id());
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
