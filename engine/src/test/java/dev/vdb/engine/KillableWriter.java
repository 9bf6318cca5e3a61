package dev.vdb.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The victim of {@link CrashRecoveryTest}: opens the database in {@code args[0]}, then writes
 * batches forever, starting at batch {@code args[1]}, and prints {@code acked <batch>} after each
 * returns. Batch b upserts {@value #BATCH} points with ids {@code b*BATCH ..}, each with payload
 * {@code {"batch": b}} and a vector derived from its id, then deletes the first point of batch
 * b-1. It never closes the database: the test kills it with SIGKILL.
 */
public final class KillableWriter {

    static final int BATCH = 50;
    static final int DIM = 16;

    private KillableWriter() {}

    static float[] vectorOf(long id) {
        SplittableRandom random = new SplittableRandom(id);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    static List<Point> batch(int b) {
        List<Point> points = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            long id = (long) b * BATCH + i;
            points.add(new Point(PointId.of(id), vectorOf(id), Map.of("batch", b), "text " + id));
        }
        return points;
    }

    public static void main(String[] args) {
        VectorDb db = VectorDb.open(Path.of(args[0]));
        VectorCollection c = db.createCollection("crash", CollectionConfig.of(DIM, Distance.EUCLID));
        c.createPayloadIndex("batch", PayloadSchema.INTEGER);
        for (int b = Integer.parseInt(args[1]); ; b++) {
            c.upsert(batch(b));
            if (b > 0) {
                c.delete(List.of(PointId.of((long) (b - 1) * BATCH)));
            }
            System.out.println("acked " + b);
            System.out.flush();
        }
    }
}
