package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap a quantized collection really takes per vector, as the JVM counts it: a child JVM with
 * G1 (the default collector, which the tests' ParallelGC hides: it has no humongous regions) and a
 * 1 GiB heap (1 MiB regions) fills a collection to two sizes and reads the used heap after full
 * collections at each, so fixed costs (classes, jars, RocksDB) cancel out of the slope. The slope
 * must stay within the bound 1.25 × (code bytes + 8·M) with a 20% margin for measurement
 * noise, and within 20% of the growth {@link VectorCollection#memory()} reports (it counts what
 * grows honestly). At d=264 and M=8 a page of 4,096 int8 codes is just over 1 MiB: were code
 * pages humongous again (608 bytes a vector measured), a second set of codes kept by pooled
 * scorers after a retrain (632), or a {@link PointId} object kept per point, the slope would
 * exceed the bound by more than 40%. Binary runs at d=256 and M=16 (the default): its codes are
 * whole 64-bit words, and the graph dominates. An unquantized collection runs at d=768 (float32
 * on the heap): were its pages of 1,024 vectors (3 MiB and a header, four regions) back, the heap
 * would grow 31% faster than {@code memory()} reports.
 */
class HeapGrowthTest {

    private static final int SMALL = 4_096;
    private static final int LARGE = 4 * 4_096;
    private static final double MARGIN = 1.2;

    @TempDir
    Path dir;

    @Test
    void realHeapPerVectorStaysWithinTheBound() throws Exception {
        for (String[] run : new String[][] {{"int8", "264", "8"}, {"binary", "256", "16"}, {"none", "768", "16"}}) {
            String q = run[0];
            int dim = Integer.parseInt(run[1]);
            int m = Integer.parseInt(run[2]);
            String[] slopes = child(run).split(" ");
            double real = Double.parseDouble(slopes[0]);
            double reported = Double.parseDouble(slopes[1]);
            double codeBytes = switch (q) {
                case "binary" -> dim / 8.0;
                case "int8" -> dim;
                default -> dim * (double) Float.BYTES; // float32 on the heap
            };
            double bound = 1.25 * (codeBytes + 8 * m);
            System.out.printf("%s, d=%d, M=%d: %.0f heap bytes per vector measured, %.0f reported, bound %.0f%n",
                    q, dim, m, real, reported, bound);
            assertTrue(real <= MARGIN * bound, q + ": " + real + " heap bytes per vector, bound " + bound + " × " + MARGIN);
            assertTrue(reported <= bound, q + ": memory() reports " + reported + " bytes per vector, bound " + bound);
            assertTrue(real <= MARGIN * reported, q + ": " + real + " heap bytes per vector, memory() reports " + reported);
        }
    }

    /** Runs {@link #main} in a G1 JVM; its output: the measured and the reported slope. */
    private String child(String[] run) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(dir.toString()));
        args.addAll(List.of(run));
        Process p = ChildJvm.start(List.of("-XX:+UseG1GC", "-Xmx1g"), HeapGrowthTest.class, args.toArray(String[]::new));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM finished");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("slopes ")).findFirst().orElseThrow(() -> new AssertionError(out))
                .substring("slopes ".length());
    }

    /** The child: args are a directory, int8 or binary, d and M; prints "slopes measured reported". */
    public static void main(String[] args) throws Exception {
        QuantizationConfig q = switch (args[1]) {
            case "binary" -> QuantizationConfig.binary();
            case "int8" -> QuantizationConfig.int8();
            default -> null;
        };
        int dim = Integer.parseInt(args[2]);
        float[][] base = new EmbeddingLikeGenerator(dim, LARGE, 17).next(LARGE);
        try (VectorDb db = VectorDb.open(Path.of(args[0], "db-" + args[1]))) {
            VectorCollection c = db.createCollection("c", new CollectionConfig(dim, Distance.COSINE,
                    new HnswConfig(Integer.parseInt(args[3]), 32), null).withQuantization(q));
            fill(c, base, 0, SMALL);
            long used0 = usedAfterGc(c);
            long reported0 = c.memory().heapBytes();
            fill(c, base, SMALL, LARGE);
            long used1 = usedAfterGc(c);
            long reported1 = c.memory().heapBytes();
            System.out.println("slopes " + (used1 - used0) / (double) (LARGE - SMALL) + " "
                    + (reported1 - reported0) / (double) (LARGE - SMALL));
        }
        Reference.reachabilityFence(base); // held at both measurements, so it cancels out
    }

    private static void fill(VectorCollection c, float[][] base, int from, int to) {
        List<Point> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(Point.of(i, base[i]));
            if (batch.size() == 1_000 || i == to - 1) {
                c.upsert(batch);
                batch.clear();
            }
        }
    }

    /**
     * Heap used once no background quantization runs, the load is at rest (its graph drops the
     * scores of its lists a moment after the last add) and full collections have run.
     */
    private static long usedAfterGc(VectorCollection c) throws InterruptedException {
        if (!((RocksCollection) c).awaitQuantization(Duration.ofMinutes(2))) {
            throw new IllegalStateException("quantization still running");
        }
        long loading = c.memory().heapBytes();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (c.memory().heapBytes() >= loading) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the graph still keeps the scores of its lists 30 s after the load");
            }
            Thread.sleep(50);
        }
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
