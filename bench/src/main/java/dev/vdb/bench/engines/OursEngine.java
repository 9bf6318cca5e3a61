package dev.vdb.bench.engines;

import dev.vdb.bench.Progress;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Distance;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.QuantizationParams;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.index.VectorSimilarity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Ours through the embedded API, as a user runs it: a {@link VectorDb} on a temp dir (writes
 * not fsynced, as for a bulk load), one collection with HNSW(M, ef_construct), points upserted
 * in batches of {@value #BATCH} from the build threads; the build ends when
 * {@link VectorCollection#indexedVectorsCount()} reaches n. Search: {@link VectorCollection#search} with
 * {@code SearchParams(ef, false)}, no payload, no vector. Sessions may run concurrently.
 *
 * <p>Quantized variants ({@code ours-int8}, {@code ours-binary}) create the collection with a
 * {@link QuantizationConfig} and search with {@code hnsw_ef = ef} and the default
 * {@link QuantizationParams} (rescore on, oversampling 1: the ef candidates found on the codes
 * are rescored with full precision, as the quantized peers rescore their ef); the
 * {@code -norescore} variants search with {@code rescore: false}, so their recall shows what the
 * codes alone find.
 *
 * <p>For filtered runs the points carry payloads and the collection gets payload indexes
 * before the first upsert ({@link #OursEngine(VectorSimilarity, int, int, IntFunction, Map)}).
 */
public final class OursEngine implements AnnEngine {

    static final int BATCH = 1_000;

    private final Distance distance;
    private final int m;
    private final int efConstruct;
    /** Payload of row i, or null for points without payload. */
    private final IntFunction<Map<String, Object>> payloads;
    private final Map<String, PayloadSchema> payloadIndexes;
    private final String name;
    private final QuantizationConfig quantization;
    private final QuantizationParams quantizationParams;
    private Path dir;
    private VectorDb db;
    private VectorCollection collection;

    public OursEngine(VectorSimilarity similarity, int m, int efConstruct) {
        this(similarity, m, efConstruct, null, Map.of());
    }

    /**
     * A collection quantized with {@code quantization}, searched with rescoring or without.
     *
     * @param name the engine's name in the report
     */
    public OursEngine(String name, VectorSimilarity similarity, int m, int efConstruct, QuantizationConfig quantization,
                      boolean rescore) {
        this(name, similarity, m, efConstruct, null, Map.of(), quantization,
                new QuantizationParams(false, rescore, 1.0));
    }

    /**
     * An engine whose points carry {@code payloads.apply(row)} and whose collection has the
     * payload indexes {@code payloadIndexes} (field → schema).
     */
    public OursEngine(VectorSimilarity similarity, int m, int efConstruct, IntFunction<Map<String, Object>> payloads,
                      Map<String, PayloadSchema> payloadIndexes) {
        this("ours", similarity, m, efConstruct, payloads, payloadIndexes, null, null);
    }

    private OursEngine(String name, VectorSimilarity similarity, int m, int efConstruct,
                       IntFunction<Map<String, Object>> payloads, Map<String, PayloadSchema> payloadIndexes,
                       QuantizationConfig quantization, QuantizationParams quantizationParams) {
        this.name = name;
        this.quantization = quantization;
        this.quantizationParams = quantizationParams;
        this.payloads = payloads;
        this.payloadIndexes = Map.copyOf(payloadIndexes);
        this.distance = switch (similarity) {
            case COSINE -> Distance.COSINE;
            case DOT -> Distance.DOT;
            case EUCLID -> Distance.EUCLID;
        };
        this.m = m;
        this.efConstruct = efConstruct;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean buildsConcurrently() {
        return true;
    }

    @Override
    public void build(float[][] base, int threads, Progress progress) throws Exception {
        build(BaseVectors.of(base), threads, progress);
    }

    @Override
    public void build(BaseVectors base, int threads, Progress progress) throws Exception {
        dir = Files.createTempDirectory("vdb-bench-ours");
        db = VectorDb.open(dir, new DbOptions(false, BATCH));
        collection = db.createCollection("bench",
                new CollectionConfig(base.dimension(), distance, new HnswConfig(m, efConstruct), null)
                        .withQuantization(quantization));
        payloadIndexes.forEach(collection::createPayloadIndex);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < base.size(); from += BATCH) {
                int start = from;
                int end = Math.min(base.size(), from + BATCH);
                batches.add(pool.submit(() -> {
                    List<Point> points = new ArrayList<>(end - start);
                    for (int i = start; i < end; i++) {
                        points.add(payloads == null ? Point.of(i, base.row(i))
                                : new Point(PointId.of(i), base.row(i), payloads.apply(i), null));
                    }
                    collection.upsert(points);
                    progress.advance(end - start);
                }));
            }
            for (Future<?> f : batches) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        while (collection.indexedVectorsCount() < base.size()) {
            Thread.sleep(1);
        }
        // a retraining the last upserts started runs in the background: the sweep measures its codes
        if (quantization != null && !((RocksCollection) collection).awaitQuantization(Duration.ofHours(1))) {
            throw new IllegalStateException("the collection's quantization did not settle within an hour");
        }
    }

    /** The built collection (after {@link #build}). */
    public VectorCollection collection() {
        return collection;
    }

    @Override
    public Session newSession() {
        return new Session() {
            @Override
            public int[] search(float[] query, int k, int ef) {
                List<ScoredPoint> hits = collection.search(
                        SearchRequest.builder().vector(query).limit(k).params(new SearchParams(ef, false).withQuantization(quantizationParams)).withPayload(false).build());
                int[] ids = new int[hits.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = (int) ((PointId.Num) hits.get(i).id()).id();
                }
                return ids;
            }

            @Override
            public long lastDistanceComputations() {
                return -1;
            }
        };
    }

    @Override
    public long memoryBytes(long heapDeltaBytes) {
        return heapDeltaBytes;
    }

    @Override
    public String memoryMethod() {
        return "live heap after build − before (after GC); RocksDB's native memory not included";
    }

    @Override
    public void close() throws Exception {
        if (db != null) {
            db.close();
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
