package dev.vdb.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The victim of {@link SnapshotCrashTest}: opens the database in {@code args[0]}, fills collection
 * {@code big} with {@value #POINTS} points if it is empty, then creates snapshots of it forever,
 * printing {@code created <name>} after each. It never closes the database: the test kills it
 * with SIGKILL, most likely while a snapshot file is being written.
 */
public final class SnapshottingProcess {

    static final int POINTS = 1_000;
    static final int DIM = 16;

    private SnapshottingProcess() {}

    static Point point(int i) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) Math.sin(i * 0.37 + d);
        }
        return new Point(PointId.of(i), v, java.util.Map.of("i", i), "point " + i);
    }

    public static void main(String[] args) {
        VectorDb db = VectorDb.open(Path.of(args[0]), new DbOptions(false, POINTS));
        VectorCollection c = db.createCollection("big", CollectionConfig.of(DIM, Distance.EUCLID));
        if (c.count() == 0) {
            List<Point> points = new ArrayList<>();
            for (int i = 0; i < POINTS; i++) {
                points.add(point(i));
            }
            c.upsert(points);
        }
        while (true) {
            System.out.println("created " + db.snapshots().create("big").name());
            System.out.flush();
        }
    }
}
