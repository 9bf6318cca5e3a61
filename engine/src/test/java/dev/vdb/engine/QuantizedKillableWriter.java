package dev.vdb.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The victim of {@link VectorFileTest}'s crash: opens the database in {@code args[0]}, fills the
 * int8 collection {@value #NAME} with {@value #FILLED} points (a checkpoint records the vector
 * file after the first {@value #CHECKPOINTED}), then gives ids {@code 0..199} new vectors, deletes
 * ids {@code 200..299} and adds ids {@code 20000..20199}, prints {@code written} and waits to be
 * killed with SIGKILL. It never closes the database.
 */
public final class QuantizedKillableWriter {

    static final String NAME = "q";
    static final int DIM = 16;
    static final int FILLED = 12_000;
    static final int CHECKPOINTED = 10_000;

    private QuantizedKillableWriter() {}

    /** The vector of {@code id} in its {@code version}th write. */
    static float[] vectorOf(long id, int version) {
        SplittableRandom random = new SplittableRandom(id * 31 + version);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    public static void main(String[] args) throws InterruptedException {
        VectorDb db = VectorDb.open(Path.of(args[0]));
        VectorCollection c = db.createCollection(NAME,
                CollectionConfig.of(DIM, Distance.EUCLID).withQuantization(QuantizationConfig.int8()));
        List<Point> batch = new ArrayList<>();
        for (int i = 0; i < FILLED; i++) {
            batch.add(Point.of(i, vectorOf(i, 0)));
            if (batch.size() == 1_000) {
                c.upsert(batch); // the 10th batch's graph changes make a checkpoint due
                batch.clear();
            }
        }
        for (int i = 0; i < 200; i++) {
            batch.add(Point.of(i, vectorOf(i, 1)));
        }
        for (int i = 20_000; i < 20_200; i++) {
            batch.add(Point.of(i, vectorOf(i, 0)));
        }
        c.upsert(batch);
        List<PointId> deleted = new ArrayList<>();
        for (int i = 200; i < 300; i++) {
            deleted.add(PointId.of(i));
        }
        c.delete(deleted);
        System.out.println("written");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
