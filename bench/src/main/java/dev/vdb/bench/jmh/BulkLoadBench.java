package dev.vdb.bench.jmh;

import dev.vdb.bench.Progress;
import dev.vdb.bench.engines.AnnEngine;
import dev.vdb.bench.engines.Engines;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.Distance;
import dev.vdb.engine.HnswConfig;
import dev.vdb.engine.Point;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.hnsw.HnswIndex;
import dev.vdb.index.hnsw.HnswParams;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.data.EmbeddingLikeGenerator;
import dev.vdb.testkit.data.ImageLikeGenerator;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A bulk load (M=16, ef_construct=100) of 20,000 image-like 784-d vectors (L2) or of GloVe-100's
 * 50,000 (cosine; as many generated 100-d vectors when the datasets are absent) on two threads,
 * once the JIT has settled (what {@code ./vdb bench} cannot show: it builds each engine twice,
 * and the embedded API's second build still shares the cores with the compiler).
 * {@code api-2-writers}: an embedded collection (writes not fsynced) fed upserts of {@code batch}
 * points (1,000 by default) from two threads, as {@code ./vdb bench}'s {@code ours} engine does;
 * {@code api-1-writer}: the same upserts one after another from one thread, as a client that sends
 * its batches in turn; {@code index-batches}: the same batches from two threads linked straight
 * into an {@link HnswIndex} (one thread each, level-0 scores kept for the load, as the
 * collection's graph links a bulk load), so that {@code api-2-writers} against it is what storing
 * and publishing each write costs; {@code index}: the vectors stored and linked by
 * {@link HnswIndex#addAll} on two threads; {@code lucene-hnsw}: Lucene's
 * {@code HnswConcurrentMergeBuilder} on two threads, as {@code ./vdb bench}'s peer of that name
 * builds. Seconds per load; the database is opened and the collection loaded before the clock
 * starts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseTransparentHugePages", "-Xmx6g"})
public class BulkLoadBench {

    static final int IMAGES = 20_000;
    static final int THREADS = 2;

    @Param({"images", "glove-100-angular"})
    String set;

    @Param({"api-2-writers", "api-1-writer", "index-batches", "index", "lucene-hnsw"})
    String path;

    /** Points per upsert (and per linked batch for {@code index-batches}). */
    @Param({"1000"})
    int batch;

    /** The vectors as a user upserts them, and as the index and Lucene take them (prepared for the metric). */
    float[][] base;
    float[][] prepared;
    VectorSimilarity similarity;
    Path dir;
    VectorDb db;
    VectorCollection collection;
    ExecutorService pool;
    /** The Lucene peer built in the current iteration, closed after it. */
    AnnEngine peer;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (set.equals("images")) {
            similarity = VectorSimilarity.EUCLID;
            base = new ImageLikeGenerator(42).next(IMAGES);
        } else {
            similarity = VectorSimilarity.COSINE;
            Optional<Path> glove = Datasets.find(set);
            base = glove.isPresent() ? Vecs.readFvecs(glove.get().resolve("base.fvecs"), Integer.MAX_VALUE)
                    : new EmbeddingLikeGenerator(100, 50_000, 1).next(50_000);
        }
        prepared = new float[base.length][];
        for (int i = 0; i < base.length; i++) {
            prepared[i] = similarity.prepare(base[i]);
        }
        pool = Executors.newFixedThreadPool(path.equals("api-1-writer") ? 1 : THREADS);
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        if (path.startsWith("api")) {
            dir = Files.createTempDirectory("vdb-jmh-load");
            db = VectorDb.open(dir, new DbOptions(false, batch));
            collection = db.createCollection("load", new CollectionConfig(base[0].length,
                    similarity == VectorSimilarity.EUCLID ? Distance.EUCLID : Distance.COSINE, new HnswConfig(16, 100), null));
            collection.count(); // loads the collection before the clock starts
        }
    }

    @Benchmark
    public Object load() throws Exception {
        if (path.equals("lucene-hnsw")) {
            peer = Engines.create(path, similarity, 16, 100);
            peer.build(prepared, THREADS, Progress.silent());
            return peer;
        }
        if (path.startsWith("index")) {
            VectorStore store = VectorStore.scoredWith(base[0].length, similarity);
            for (int i = 0; i < prepared.length; i++) {
                store.set(i, prepared[i]);
            }
            HnswIndex index = new HnswIndex(store, similarity, new HnswParams(16, 100, 42));
            if (path.equals("index")) {
                index.addAll(IntStream.range(0, prepared.length).toArray(), THREADS);
            } else {
                index.startKeepingScores();
                try {
                    inBatches((start, end) -> index.addAll(IntStream.range(start, end).toArray(), 1));
                } finally {
                    index.stopKeepingScores();
                }
            }
            return index;
        }
        inBatches((start, end) -> {
            List<Point> points = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                points.add(Point.of(i, base[i]));
            }
            collection.upsert(points);
        });
        return collection;
    }

    /** Receives one batch: the points from {@code start} (inclusive) to {@code end}. */
    private interface BatchLoad {
        void load(int start, int end);
    }

    /** Runs {@code load} for each batch of {@link #batch} points on the pool; returns when all are done. */
    private void inBatches(BatchLoad load) throws Exception {
        List<Future<?>> batches = new ArrayList<>();
        for (int from = 0; from < base.length; from += batch) {
            int start = from;
            int end = Math.min(base.length, from + batch);
            batches.add(pool.submit(() -> load.load(start, end)));
        }
        for (Future<?> done : batches) {
            done.get();
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws Exception {
        if (peer != null) {
            peer.close();
            peer = null;
        }
        if (db != null) {
            db.close();
            db = null;
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.shutdown();
    }
}
