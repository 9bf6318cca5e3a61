package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.filter.Filter;
import dev.vdb.index.FilterCostModel;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auto} against an exact oracle under filters that selectivity alone cannot tell apart:
 * clustered vectors split into cells around centroids; a filter on the query's own cell admits
 * its neighbourhood (correlated), one on its farthest cell admits points away from it
 * (anti-correlated), with 4 and 40 cells. Every case must reach recall 0.95; a
 * correlated filter must be answered by the traversal (fewer distances than the scan of its
 * matches), an anti-correlated one by at most the scan plus the traversal's budget.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorrelatedFilterTest {

    private static final int N = 8_000;
    private static final int DIM = 128;
    private static final int QUERIES = 100;
    private static final int K = 10;
    /** Small enough that an unfiltered search costs less than the scan of either cell4 filter. */
    private static final int EF = 16;

    @TempDir
    static Path dir;
    private VectorDb db;
    private VectorCollection collection;
    private Dataset data;
    private float[][] prepared;

    @BeforeAll
    void load() {
        data = Dataset.generate(N, QUERIES, DIM, Metric.COSINE, K, 17);
        prepared = Arrays.stream(data.base()).map(VectorSimilarity.COSINE::prepare).toArray(float[][]::new);
        db = VectorDb.open(dir);
        collection = db.createCollection("cells", CollectionConfig.of(DIM, Distance.COSINE));
        collection.createPayloadIndex("cell4", PayloadSchema.KEYWORD);
        collection.createPayloadIndex("cell40", PayloadSchema.KEYWORD);
        String[] cell4 = cells(4);
        String[] cell40 = cells(40);
        List<Point> batch = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            batch.add(Point.of(i, data.base()[i], Map.of("cell4", cell4[i], "cell40", cell40[i])));
        }
        collection.upsert(batch);
    }

    @AfterAll
    void close() {
        db.close();
    }

    @Test
    void correlatedFiltersAreAnsweredByTheTraversal() {
        Result r = run("cell4", 4, false);
        assertTrue(r.recall >= 0.95, "recall " + r.recall);
        assertTrue(r.distancesPerQuery < r.meanMatches, "a traversal answers: " + r);
        assertTrue(run("cell40", 40, false).recall >= 0.95);
    }

    @Test
    void antiCorrelatedFiltersCostAtMostTheScanAndTheBudget() {
        Result r = run("cell4", 4, true);
        assertTrue(r.recall >= 0.95, "recall " + r.recall);
        assertTrue(FilterCostModel.worthTraversing((int) r.meanMatches, EF, DIM), "the traversal is tried");
        // budget: as many distances as matches; the upper levels' greedy descent is not budgeted
        // (a few hops of M neighbours per level)
        assertTrue(r.distancesPerQuery <= 2 * r.meanMatches + 16 * 8, "bounded: " + r);
        assertTrue(run("cell40", 40, true).recall >= 0.95);
    }

    private record Result(double recall, double distancesPerQuery, double meanMatches) {}

    /** Recall of auto at {@link #EF} on the query's own ({@code far} false) or farthest cell of {@code cells}. */
    private Result run(String field, int cells, boolean far) {
        float[][] centroids = centroids(cells);
        String[] cellOf = cells(cells);
        double recall = 0;
        long matches = 0;
        long before = collection.diagnostics().searchDistanceComputations();
        for (int q = 0; q < QUERIES; q++) {
            float[] query = VectorSimilarity.COSINE.prepare(data.queries()[q]);
            String cell = Integer.toString(rank(centroids, query, far));
            int[] admitted = IntStream.range(0, N).filter(i -> cellOf[i].equals(cell)).toArray();
            matches += admitted.length;
            int[] truth = exactTop(admitted, query);
            List<ScoredPoint> hits = collection.search(SearchRequest.of(data.queries()[q], K).toBuilder()
                    .filter(Filter.match(field, cell)).params(SearchParams.ef(EF)).withPayload(false).build());
            long found = hits.stream().mapToLong(h -> ((PointId.Num) h.id()).id())
                    .filter(id -> IntStream.of(truth).anyMatch(t -> t == id)).count();
            recall += truth.length == 0 ? 1 : (double) found / truth.length;
        }
        double distances = (double) (collection.diagnostics().searchDistanceComputations() - before) / QUERIES;
        Result r = new Result(recall / QUERIES, distances, (double) matches / QUERIES);
        System.out.printf("[correlated filters] %s %s: %s%n", field, far ? "farthest cell" : "own cell", r);
        return r;
    }

    /** The first {@code count} base rows are the centroids; each row's cell is its nearest centroid. */
    private String[] cells(int count) {
        float[][] centroids = centroids(count);
        String[] out = new String[N];
        for (int i = 0; i < N; i++) {
            out[i] = Integer.toString(rank(centroids, prepared[i], false));
        }
        return out;
    }

    private float[][] centroids(int count) {
        return Arrays.copyOf(prepared, count);
    }

    /** The nearest centroid, or the farthest one when {@code far}. */
    private static int rank(float[][] centroids, float[] v, boolean far) {
        int chosen = 0;
        float chosenScore = VectorSimilarity.COSINE.scalarScore(v, 0, centroids[0], 0, v.length);
        for (int c = 1; c < centroids.length; c++) {
            float s = VectorSimilarity.COSINE.scalarScore(v, 0, centroids[c], 0, v.length);
            if (far ? s < chosenScore : s > chosenScore) {
                chosen = c;
                chosenScore = s;
            }
        }
        return chosen;
    }

    /** The exact top K among {@code rows} (scalar scores). */
    private int[] exactTop(int[] rows, float[] query) {
        return IntStream.of(rows).boxed()
                .sorted((a, b) -> Float.compare(VectorSimilarity.COSINE.scalarScore(query, 0, prepared[b], 0, DIM),
                        VectorSimilarity.COSINE.scalarScore(query, 0, prepared[a], 0, DIM)))
                .limit(K).mapToInt(Integer::intValue).toArray();
    }
}
