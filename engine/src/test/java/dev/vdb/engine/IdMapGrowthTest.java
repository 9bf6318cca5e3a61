package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The id map grows with the ids it holds, however long they are: 100,000 string ids of 512
 * bytes (the longest allowed; the map is first laid out for short ids) written by two writers
 * while a reader searches and counts by id, then checked against RocksDB, closed, reopened.
 */
class IdMapGrowthTest {

    private static final int IDS = 100_000;
    private static final int BATCH = 1_000;

    @TempDir
    Path dir;

    private static PointId longId(int i) {
        String prefix = "id-" + i + "-";
        return PointId.of(prefix + "y".repeat(PointId.MAX_STRING_BYTES - prefix.length()));
    }

    @Test
    void hundredThousandLongIdsGrowTheMapUnderConcurrentWritesAndSearches() throws InterruptedException {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
            VectorCollection c = db.createCollection("c", CollectionConfig.of(4, Distance.DOT));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int first = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        SplittableRandom random = new SplittableRandom(first);
                        for (int from = first * BATCH; from < IDS; from += 2 * BATCH) {
                            List<Point> batch = new ArrayList<>(BATCH);
                            for (int i = from; i < from + BATCH; i++) {
                                batch.add(new Point(longId(i), PointsTest.randomVector(random, 4), null, null));
                            }
                            c.upsert(batch);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            Thread reader = Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(9);
                try {
                    while (writing.get()) {
                        c.search(SearchRequest.of(PointsTest.randomVector(random, 4), 5));
                        long seen = c.count(Filter.hasId(longId(0), longId(BATCH), longId(IDS - 1)));
                        assertTrue(seen >= 0 && seen <= 3);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            for (Thread t : writers) {
                t.join();
            }
            writing.set(false);
            reader.join();
            assertNull(failure.get());
            assertEquals(IDS, c.count());
            assertEquals(3, c.count(Filter.hasId(longId(0), longId(BATCH), longId(IDS - 1))));
            DatabaseCheck.Report report = DatabaseCheck.check(db);
            assertTrue(report.clean(), report.toString());
        }
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.collection("c");
            assertNull(c.diagnostics().idMapRecovery(), "the grown map was closed cleanly and is reused");
            assertEquals(IDS, c.count());
            assertEquals(1, c.count(Filter.hasId(longId(IDS / 2))));
        }
    }
}
