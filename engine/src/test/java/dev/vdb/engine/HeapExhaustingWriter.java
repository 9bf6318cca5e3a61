package dev.vdb.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The victim of {@link OutOfMemoryTest}: in a small heap, upserts batches of 200 points of
 * dimension 1024 into the database in {@code args[0]} until writes fail with
 * {@link OutOfMemoryError}, then keeps trying {@code args[1]} more batches (as a server that
 * answers 500 and keeps running would), printing {@code acked <batch>} after each that returns
 * and {@code failed <batch>} after each that throws. It never closes the database: the test kills it.
 */
public final class HeapExhaustingWriter {

    static final int BATCH = 200;
    static final int DIM = 1024;

    private HeapExhaustingWriter() {}

    static float[] vectorOf(long id) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) Math.sin(id * 31 + i);
        }
        return v;
    }

    static List<Point> batch(int b) {
        List<Point> points = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            long id = (long) b * BATCH + i;
            points.add(new Point(PointId.of(id), vectorOf(id), Map.of("batch", b), null));
        }
        return points;
    }

    public static void main(String[] args) {
        VectorDb db = VectorDb.open(Path.of(args[0]), new DbOptions(true, 100_000));
        VectorCollection c = db.createCollection("oom", CollectionConfig.of(DIM, Distance.EUCLID));
        int afterFailure = Integer.parseInt(args[1]);
        int failures = 0;
        for (int b = 0; failures == 0 || afterFailure-- > 0; b++) {
            try {
                c.upsert(batch(b));
                System.out.println("acked " + b);
            } catch (Throwable e) {
                failures++;
                System.out.println("failed " + b + " " + e);
            }
            System.out.flush();
        }
        System.out.println("done");
        System.out.flush();
        while (true) {
            Thread.onSpinWait(); // wait for the kill
        }
    }
}
