package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.DatabaseCheck;
import dev.vdb.engine.db.RocksVectorDb;
import dev.vdb.engine.write.WriteFaults;
import dev.vdb.engine.write.WriteStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failure injected at each step of the write path (an exception, or an out-of-memory error as
 * a full heap throws it) never half-applies a write: a failure before the commit stores nothing,
 * one after it leaves the write stored and visible (the collection reloads from RocksDB); later
 * writes work, nothing is lost, and the database reopens in agreement with RocksDB. The oracle
 * is a model of what was acknowledged.
 */
class WriteFailureTest {

    private static final int DIM = 8;

    @TempDir
    Path dir;

    private final Map<PointId, Point> model = new HashMap<>();
    private final SplittableRandom random = new SplittableRandom(11);

    /** Throws at its step once, when armed. */
    private static final class Injector implements WriteFaults {
        private WriteStep armed;
        private boolean outOfMemory;
        private boolean fired;

        void arm(WriteStep step, boolean asOutOfMemory) {
            armed = step;
            outOfMemory = asOutOfMemory;
            fired = false;
        }

        @Override
        public void at(WriteStep step) {
            if (step == armed && !fired) {
                fired = true;
                armed = null;
                if (outOfMemory) {
                    throw new OutOfMemoryError("injected at " + step);
                }
                throw new IllegalStateException("injected at " + step);
            }
        }
    }

    static Stream<Arguments> steps() {
        List<Arguments> out = new ArrayList<>();
        for (WriteStep step : WriteStep.values()) {
            if (step == WriteStep.LINK_BACKLOG) {
                continue; // not a step of a client's write: GraphBacklogTest
            }
            for (boolean outOfMemory : new boolean[] {false, true}) {
                for (boolean delete : new boolean[] {false, true}) {
                    if (!(delete && (step == WriteStep.PREPARE || step == WriteStep.GROW_ID_MAP))) {
                        out.add(Arguments.of(step, outOfMemory, delete, false));
                    }
                }
            }
            // int8: the full-precision vectors in the mapped file, reopened from the state a clean close recorded
            out.add(Arguments.of(step, false, false, true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, out of memory {1}, delete {2}, int8 {3}")
    @MethodSource("steps")
    void aFailedWriteIsAllOrNothingAndTheDatabaseReopens(WriteStep step, boolean outOfMemory, boolean delete,
                                                         boolean quantized) {
        Injector faults = new Injector();
        CollectionConfig config = CollectionConfig.of(DIM, Distance.EUCLID);
        if (quantized) {
            try (VectorDb db = RocksVectorDb.open(dir, new DbOptions(false, 100_000), faults)) {
                upsert(db.createCollection("c", config.withQuantization(QuantizationConfig.int8())), numbered(0, 200));
            }
        }
        try (VectorDb db = RocksVectorDb.open(dir, new DbOptions(false, 100_000), faults)) {
            VectorCollection c;
            if (quantized) {
                c = db.collection("c");
                assertNull(c.diagnostics().vectorFileRecovery(), "the vector file reused");
            } else {
                c = db.createCollection("c", config);
                upsert(c, numbered(0, 200));
            }

            faults.arm(step, outOfMemory);
            boolean committed = step.compareTo(WriteStep.PUBLISH) >= 0;
            if (delete) {
                List<PointId> doomed = new ArrayList<>(model.keySet()).subList(0, 30);
                if (committed) {
                    assertEquals(30, c.delete(doomed), "a committed delete reports what it deleted");
                    doomed.forEach(model::remove);
                } else {
                    assertThrows(Throwable.class, () -> c.delete(doomed));
                }
            } else {
                // new long ids (the id map must grow for them) and new vectors for existing points
                List<Point> batch = new ArrayList<>(longIds(1_000));
                for (PointId id : new ArrayList<>(model.keySet()).subList(0, 20)) {
                    batch.add(new Point(id, PointsTest.randomVector(random, DIM), Map.of("v", 2), null));
                }
                if (committed) {
                    assertEquals(batch.size(), c.upsert(batch), "a committed write reports what it stored");
                    batch.forEach(p -> model.put(p.id(), p));
                } else {
                    assertThrows(Throwable.class, () -> c.upsert(batch));
                }
            }
            assertTrue(faults.fired, "the write reached " + step);
            assertMatchesModel(db, c);
            // later writes work and take fresh ordinals
            upsert(c, numbered(1_000, 1_050));
            assertMatchesModel(db, c);
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertMatchesModel(db, db.collection("c"));
            if (quantized) {
                assertNull(db.collection("c").diagnostics().vectorFileRecovery(), "the close recorded every vector");
            }
        }
    }

    private List<Point> numbered(int from, int to) {
        List<Point> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new Point(PointId.of(i), PointsTest.randomVector(random, DIM), Map.of("n", i), "text " + i));
        }
        return out;
    }

    private List<Point> longIds(int n) {
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "long-" + i + "-" + "x".repeat(300);
            out.add(new Point(PointId.of(id), PointsTest.randomVector(random, DIM), Map.of("long", true), null));
        }
        return out;
    }

    private void upsert(VectorCollection c, List<Point> points) {
        c.upsert(points);
        points.forEach(p -> model.put(p.id(), p));
    }

    private void assertMatchesModel(VectorDb db, VectorCollection c) {
        assertEquals(model.size(), c.count());
        List<PointId> ids = new ArrayList<>(model.keySet());
        List<Point> got = c.get(ids);
        assertEquals(model.size(), got.size());
        for (Point p : got) {
            Point expected = model.get(p.id());
            assertArrayEquals(expected.vector(), p.vector(), "vector of " + p.id());
            assertEquals(expected.payload(), p.payload(), "payload of " + p.id());
        }
        for (Point p : got.subList(0, Math.min(50, got.size()))) {
            ScoredPoint top = c.search(SearchRequest.builder().vector(p.vector()).limit(1).params(SearchParams.EXACT).build()).get(0);
            assertEquals(0f, top.score(), 1e-6f, "exact search finds " + p.id() + " at its vector");
            ScoredPoint graph = c.search(SearchRequest.builder().vector(p.vector()).limit(1).params(SearchParams.ef(64)).build()).get(0);
            assertEquals(0f, graph.score(), 1e-6f, "the graph finds " + p.id() + " at its vector");
        }
        DatabaseCheck.Report report = DatabaseCheck.check(db);
        assertTrue(report.clean(), report.toString());
    }
}
