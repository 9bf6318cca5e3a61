package dev.vdb.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.write.PointWriter;
import dev.vdb.index.Deadline;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan of stored payloads (a filter the payload indexes cannot decide) holds no lock that
 * writers need: paused after its first chunk, it lets writes publish, and still answers as of
 * the moment it started (a RocksDB snapshot). Ordering by latches; the only wait with a limit
 * is a guard that turns a deadlock (the bug) into a failure.
 */
class StoredFilterScanTest {

    private static final int POINTS = 3 * StoredFilterScan.CHUNK;

    @TempDir
    Path dir;

    @Test
    void writersPublishWhileAScanIsPausedAndTheScanAnswersAsOfItsStart() throws Exception {
        // own threads: the common pool may have a single thread, which the paused scan would hold
        try (VectorDb db = VectorDb.open(dir); ExecutorService threads = Executors.newFixedThreadPool(2)) {
            VectorCollection collection = db.createCollection("c", CollectionConfig.of(2, Distance.EUCLID));
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                points.add(Point.of(i, new float[] {i, 1}, Map.of("n", i)));
            }
            collection.upsert(points);
            Filter below = Filter.between("n", 0, POINTS / 2 - 1); // unindexed: decided by stored payloads
            assertEquals(POINTS / 2, collection.count(below));

            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            StoredFilterScan scan = new StoredFilterScan(field(collection, "state", CollectionState.class),
                    field(collection, "writer", PointWriter.class), ((RocksCollection) collection).store(), () -> {
                        if (paused.getCount() > 0) {
                            paused.countDown();
                            await(resume);
                        }
                    });
            CompletableFuture<StoredFilterScan.Matches> scanning = CompletableFuture.supplyAsync(() -> scan.resolve(below, Deadline.NONE), threads);
            await(paused);

            // while the scan is paused: a new matching point, and point 0 moved out of the range
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                collection.upsert(List.of(Point.of(POINTS, new float[] {0, 0}, Map.of("n", 0))));
                collection.upsert(List.of(Point.of(0, new float[] {0, 1}, Map.of("n", POINTS))));
            }, threads);
            writes.get(60, TimeUnit.SECONDS); // a scan holding a lock writers need would deadlock here
            assertEquals(POINTS / 2, collection.count(below), "the writes are published");
            assertTrue(!scanning.isDone(), "the scan is still paused");

            resume.countDown();
            StoredFilterScan.Matches matches = scanning.get(60, TimeUnit.SECONDS);
            // as of the scan's start: point 0 (then at n = 0) matched, the new point did not exist
            assertEquals(POINTS / 2, matches.ordinals().cardinality());
            assertTrue(matches.ordinals().get(0), "point 0's ordinal as it stood at the snapshot");
        }
    }

    private static <T> T field(VectorCollection collection, String name, Class<T> type) throws Exception {
        Field loadedField = RocksCollection.class.getDeclaredField("loaded");
        loadedField.setAccessible(true);
        Object loaded = loadedField.get(collection);
        Field f = loaded.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return type.cast(f.get(loaded));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("a latch was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
