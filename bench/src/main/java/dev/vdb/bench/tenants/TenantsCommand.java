package dev.vdb.bench.tenants;

import dev.vdb.bench.BenchData;
import dev.vdb.bench.GeneratedShape;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Distance;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vdb bench tenants}: tenant-filtered search in one collection (with an
 * {@code is_tenant} index, and with a plain keyword index) against a collection per tenant, at
 * several tenant counts with Zipf-skewed sizes, reported per tenant-size bucket.
 */
@Command(name = "tenants", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tenant-filtered search in one collection (is_tenant index, plain keyword index) against a collection",
                "per tenant, at several tenant counts with Zipf-skewed sizes; queries/s and recall per tenant-size bucket."})
public final class TenantsCommand implements Callable<Integer> {

    @Option(names = "--dataset", paramLabel = "DIR|generated:DIM|generated-int8:DIM|generated-images", defaultValue = "generated:96",
            description = "Folder with base.fvecs and query.fvecs (e.g. ../shared/datasets/glove-100-angular), generated:DIM"
                    + " for clustered vectors shaped like real embeddings (default ${DEFAULT-VALUE}), generated-int8:DIM for"
                    + " them as int8, or generated-images for 784-d digit images (use --metric l2).")
    String dataset;

    @Option(names = "--metric", defaultValue = "cosine", description = "cosine, l2 or dot (default ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--base", defaultValue = "50000", description = "Points, all tenants together (default ${DEFAULT-VALUE}).")
    int base;

    @Option(names = "--queries", defaultValue = "50", description = "Queries per sampled tenant (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--tenants", split = ",", description = "Tenant counts (default 10,100,1000).")
    List<Integer> tenantCounts = List.of(10, 100, 1_000);

    @Option(names = "--zipf", defaultValue = "1.0", description = "Zipf exponent of the tenant sizes (default ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--sample", defaultValue = "4", description = "Tenants sampled per size bucket (default ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--ef", split = ",", description = "ef values (default 16,32,64,128).")
    List<Integer> efs = List.of(16, 32, 64, 128);

    @Option(names = "--k", defaultValue = "10", description = "Hits per search (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--recall", split = ",", description = "Recalls the summaries compare queries/s at (default 0.95,0.99).")
    List<Double> targetRecalls = List.of(0.95, 0.99);

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds per ef, engines taking turns; the best counts (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--min-seconds", defaultValue = "0.3", description = "Least CPU time of one timed pass, in seconds (default ${DEFAULT-VALUE}).")
    double minSeconds;

    @Override
    public Integer call() throws IOException {
        Distance distance = switch (metric.toLowerCase(Locale.ROOT)) {
            case "cosine" -> Distance.COSINE;
            case "l2" -> Distance.EUCLID;
            case "dot" -> Distance.DOT;
            default -> throw new IllegalArgumentException("--metric must be cosine, l2 or dot, got " + metric);
        };
        float[][][] data = load();
        float[][] vectors = data[0];
        float[][] qs = data[1];
        int n = vectors.length;
        System.out.printf(Locale.ROOT, "tenants bench: %s, %,d points of dimension %d, %s, %d queries per tenant, tenants %s,"
                        + " Zipf exponent %.2f, ef %s, k %d%n", dataset, n, vectors[0].length, distance.apiName(), qs.length,
                tenantCounts, zipf, efs, k);
        Path dir = Files.createTempDirectory("vdb-tenants");
        List<TenantSweep.Bucket> buckets = new ArrayList<>();
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, DbOptions.DEFAULT_MAX_BATCH_POINTS))) {
            TenantSweep sweep = new TenantSweep(db, vectors, qs, distance, k, rounds, minSeconds);
            Map<Integer, TenantLayout> layouts = new HashMap<>();
            for (int count : tenantCounts) {
                layouts.put(count, TenantLayout.zipf(n, count, zipf, 7L + count));
            }
            // one collection with a plain keyword index per tenant count's field: the filter planner's answer
            VectorCollection keyword = db.createCollection("keyword", CollectionConfig.of(vectors[0].length, distance));
            for (int count : tenantCounts) {
                keyword.createPayloadIndex(field(count), PayloadSchema.KEYWORD);
            }
            long start = System.nanoTime();
            sweep.upsert(keyword, IntStream.range(0, n).toArray(), id -> {
                Map<String, Object> payload = new HashMap<>();
                layouts.forEach((count, layout) -> payload.put(field(count), TenantLayout.name(layout.tenantOf()[id])));
                return payload;
            });
            System.out.printf(Locale.ROOT, "built the keyword-indexed collection in %.1f s%n", (System.nanoTime() - start) / 1e9);
            for (int count : tenantCounts) {
                TenantLayout layout = layouts.get(count);
                VectorCollection shared = db.createCollection("tenants-" + count, CollectionConfig.of(vectors[0].length, distance));
                shared.createPayloadIndex("tenant", PayloadSchema.KEYWORD, true);
                start = System.nanoTime();
                sweep.upsert(shared, IntStream.range(0, n).toArray(),
                        id -> Map.of("tenant", TenantLayout.name(layout.tenantOf()[id])));
                System.out.printf(Locale.ROOT, "%,d tenants: built the is_tenant collection in %.1f s (largest tenant %,d points,"
                        + " smallest %,d)%n", count, (System.nanoTime() - start) / 1e9, layout.sizes()[0], layout.sizes()[count - 1]);
                for (int b = 0; b < TenantLayout.BUCKET_FLOORS.length; b++) {
                    List<Integer> sampled = layout.sample(b, sample);
                    if (sampled.isEmpty()) {
                        continue;
                    }
                    TenantSweep.Bucket bucket = sweep.measure(layout, b, sampled, shared, keyword, field(count), efs);
                    TenantReport.sweep(System.out, bucket);
                    buckets.add(bucket);
                }
                db.dropCollection(shared.name());
            }
        } finally {
            delete(dir);
        }
        TenantReport.summary(System.out, buckets, targetRecalls);
        return 0;
    }

    private static String field(int tenantCount) {
        return "t" + tenantCount;
    }

    /** {base, queries}: the first {@code --base} vectors and first {@code --queries} queries. */
    private float[][][] load() throws IOException {
        GeneratedShape shape = GeneratedShape.of(dataset);
        if (shape != null) {
            IntFunction<float[][]> generator = shape.generator(shape.dimension(dataset), base, BenchData.SEED);
            return new float[][][] {generator.apply(base), generator.apply(queries)};
        }
        Path folder = Path.of(dataset);
        if (!Files.isRegularFile(folder.resolve("base.fvecs")) || !Files.isRegularFile(folder.resolve("query.fvecs"))) {
            throw new IllegalArgumentException("--dataset must be generated data or a folder with base.fvecs and query.fvecs, got "
                    + dataset);
        }
        return new float[][][] {Vecs.readFvecs(folder.resolve("base.fvecs"), base),
                Vecs.readFvecs(folder.resolve("query.fvecs"), queries)};
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
