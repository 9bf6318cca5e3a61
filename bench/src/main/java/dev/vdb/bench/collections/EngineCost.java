package dev.vdb.bench.collections;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What many collections cost through the engine's own API: the mean create time of the last
 * tenth of {@code count} creates, the disk an empty collection takes, the time to reopen the
 * database (collections load lazily), to answer the first search of one collection (which pays
 * the JVM's one-time costs: class loading, Chronicle Map's code generation) and then that of
 * another (a cold collection in a warm JVM), and the heap and disk a collection adds once it
 * holds {@code points} points and is loaded (measured over the first {@value #LOADED} at most).
 */
final class EngineCost {

    private EngineCost() {}

    /** Collections filled and kept loaded for the heap figure. */
    static final int LOADED = 1_000;

    record Result(int count, double lastTenthCreateMillis, long emptyDiskBytes, double reopenMillis,
                  double firstSearchMillis, double coldCollectionSearchMillis, long diskBytesWithPoints, long heapBytesLoaded, int points) {}

    static Result measure(int count, int dimension, int points, Path dir) {
        DbOptions options = new DbOptions(false, 10_000);
        double lastTenth;
        try (VectorDb db = VectorDb.open(dir, options)) {
            int tenth = Math.max(1, count / 10);
            long tenthStart = 0;
            for (int i = 0; i < count; i++) {
                if (i == count - tenth) {
                    tenthStart = System.nanoTime();
                }
                db.createCollection("c" + i, CollectionConfig.of(dimension, Distance.COSINE));
            }
            lastTenth = (System.nanoTime() - tenthStart) / 1e6 / tenth;
        }
        long emptyDisk = Sizes.diskBytes(dir);
        SplittableRandom random = new SplittableRandom(42);
        long start = System.nanoTime();
        double reopen;
        double firstSearch;
        double coldSearch;
        try (VectorDb db = VectorDb.open(dir, options)) {
            reopen = (System.nanoTime() - start) / 1e6;
            long searchStart = System.nanoTime();
            db.collection("c" + count / 2).search(SearchRequest.of(vector(random, dimension), 10));
            firstSearch = (System.nanoTime() - searchStart) / 1e6;
            searchStart = System.nanoTime();
            db.collection("c" + (count / 2 + 1) % count).search(SearchRequest.of(vector(random, dimension), 10));
            coldSearch = (System.nanoTime() - searchStart) / 1e6;
        }
        long heap;
        try (VectorDb db = VectorDb.open(dir, options)) {
            long before = Sizes.usedHeapAfterGc();
            for (int i = 0; i < Math.min(count, LOADED); i++) {
                VectorCollection c = db.collection("c" + i);
                List<Point> batch = new ArrayList<>(points);
                for (int p = 0; p < points; p++) {
                    batch.add(Point.of(p, vector(random, dimension)));
                }
                c.upsert(batch);
            }
            heap = Sizes.usedHeapAfterGc() - before;
        }
        int loaded = Math.min(count, LOADED);
        return new Result(count, lastTenth, emptyDisk / count, reopen, firstSearch, coldSearch,
                (Sizes.diskBytes(dir) - emptyDisk) / loaded, heap / loaded, points);
    }

    static void print(PrintStream out, Result r) {
        out.printf(Locale.ROOT, "  engine %,7d collections: create %6.2f ms (last tenth), empty %,7d B disk each, reopen %,8.1f ms,"
                        + " first search %,8.1f ms, then of another collection %6.1f ms; with %d points each, loaded:"
                        + " %,8d B more disk and %,8d B heap each%n",
                r.count(), r.lastTenthCreateMillis(), r.emptyDiskBytes(), r.reopenMillis(), r.firstSearchMillis(),
                r.coldCollectionSearchMillis(), r.points(),
                r.diskBytesWithPoints(), r.heapBytesLoaded());
    }

    private static float[] vector(SplittableRandom random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
