package dev.vdb.engine;

import dev.vdb.index.data.Dataset;
import dev.vdb.index.data.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures, by hand (not a test): single-thread exact-search queries/s on glove-100-angular
 * through the engine with the SIMD kernels beside the scalar loop in the same run, and the time
 * to reopen a database holding the 50k vectors. Run from the repository root:
 *
 * <pre>
 * export JAVA_HOME=$(./vdb java-home)
 * mvn -B -q -pl engine -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * $JAVA_HOME/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
 *   --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
 *   --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
 *   --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED \
 *   --add-exports=java.base/jdk.internal.util=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
 *   --sun-misc-unsafe-memory-access=allow -Xmx2g \
 *   -cp engine/target/test-classes:engine/target/classes:index/target/classes:$(cat engine/target/cp.txt) \
 *   dev.vdb.engine.ExactSearchSpeed
 * </pre>
 */
public final class ExactSearchSpeed {

    private static final int ROUNDS = 5;
    private static final int QUERIES_PER_ROUND = 200;

    private ExactSearchSpeed() {}

    public static void main(String[] args) throws IOException {
        Path glove = Datasets.find("glove-100-angular")
                .orElseThrow(() -> new IllegalStateException("glove-100-angular not found (set VDB_DATASETS)"));
        Dataset data = Dataset.load(glove, "groundtruth.ivecs", Distance.COSINE.similarity());
        Path dir = Files.createTempDirectory("vdb-speed");
        try {
            try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100_000))) {
                VectorCollection c = db.createCollection("glove", CollectionConfig.of(data.dimension(), Distance.COSINE));
                List<Point> batch = new ArrayList<>();
                for (int i = 0; i < data.base().length; i++) {
                    batch.add(Point.of(i, data.base()[i]));
                    if (batch.size() == 10_000 || i == data.base().length - 1) {
                        c.upsert(batch);
                        batch.clear();
                    }
                }
            }
            double[] reopenMs = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                try (VectorDb db = VectorDb.open(dir)) {
                    reopenMs[r] = (System.nanoTime() - t0) / 1e6;
                    if (db.collection("glove").count() != data.base().length) {
                        throw new IllegalStateException("reopened with a wrong count");
                    }
                }
            }
            try (VectorDb db = VectorDb.open(dir)) {
                RocksCollection c = (RocksCollection) db.collection("glove");
                SearchParams exact = new SearchParams(0, true);
                double[] simdQps = new double[ROUNDS];
                double[] scalarQps = new double[ROUNDS];
                long sink = 0;
                for (int r = -2; r < ROUNDS; r++) { // two warm-up rounds
                    long t0 = System.nanoTime();
                    for (int q = 0; q < QUERIES_PER_ROUND; q++) {
                        float[] query = data.queries()[q % data.queries().length];
                        sink += c.search(SearchRequest.builder().vector(query).limit(10).params(exact).withPayload(false).build()).size();
                    }
                    long t1 = System.nanoTime();
                    for (int q = 0; q < QUERIES_PER_ROUND; q++) {
                        sink += c.scalarExactSearch(data.queries()[q % data.queries().length], 10).size();
                    }
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        simdQps[r] = QUERIES_PER_ROUND / ((t1 - t0) / 1e9);
                        scalarQps[r] = QUERIES_PER_ROUND / ((t2 - t1) / 1e9);
                    }
                }
                double simd = median(simdQps);
                double scalar = median(scalarQps);
                System.out.printf("exact search, glove-100-angular (%d x %d, Cosine, top-10, 1 thread, median of %d rounds of %d queries):%n",
                        data.base().length, data.dimension(), ROUNDS, QUERIES_PER_ROUND);
                System.out.printf("  SIMD (Vector API)  %8.1f queries/s%n", simd);
                System.out.printf("  scalar loop        %8.1f queries/s%n", scalar);
                System.out.printf("  ratio SIMD/scalar  %8.2f x   (checksum %d)%n", simd / scalar, sink);
                System.out.printf("reopen of %d vectors (open RocksDB, load vectors, verify id map, load graph): median %.0f ms, runs %s%n",
                        data.base().length, median(reopenMs), Arrays.toString(Arrays.stream(reopenMs).map(Math::round).toArray()));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
