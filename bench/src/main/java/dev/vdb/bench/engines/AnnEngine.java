package dev.vdb.bench.engines;

import dev.vdb.bench.Progress;

/**
 * One nearest-neighbour engine under test, behind the harness's common interface.
 *
 * <p>Lifecycle: {@link #build} once, then any number of {@link #newSession sessions} (one per
 * search thread), then {@link #close}. Input vectors are already prepared for the metric (unit
 * length for cosine) and are row ids {@code 0..n-1}; an engine may keep references to them.
 * Not thread-safe except where a method says so.
 */
public interface AnnEngine extends AutoCloseable {

    /** Short name used in tables, CSV and plots, e.g. {@code lucene}. */
    String name();

    /** True when {@link #build} uses more than one thread if given them. */
    boolean buildsConcurrently();

    /**
     * Indexes {@code base} (row i gets id i) using up to {@code threads} threads and returns when
     * every vector is searchable. The harness times this call.
     *
     * @param progress advanced by one per vector indexed (thread-safe)
     */
    void build(float[][] base, int threads, Progress progress) throws Exception;

    /**
     * Indexes {@code base} as {@link #build(float[][], int, Progress)} does. Engines that can
     * index row by row (and keep no heap copy of the vectors) override this, so that the scale
     * run can hand them a mapped file; the default copies every row onto the heap first.
     */
    default void build(BaseVectors base, int threads, Progress progress) throws Exception {
        build(base.toArray(), threads, progress);
    }

    /** A searcher for one thread; sessions of one engine may run concurrently. */
    Session newSession() throws Exception;

    /**
     * Bytes the built index holds in all (vectors + graph + overhead), or -1 when not
     * measurable. {@code heapDeltaBytes} is the harness's measurement: live heap after the build
     * minus before it (after a GC), including the engine's copy of the vectors.
     */
    long memoryBytes(long heapDeltaBytes);

    /** How {@link #memoryBytes} is obtained, for the report. */
    String memoryMethod();

    /**
     * Switches per-query distance counting on for the single-thread sweep and off for the
     * throughput point, for engines whose counting costs something (a wrapped distance
     * function). Default: nothing to switch.
     */
    default void countDistances(boolean on) {}

    @Override
    void close() throws Exception;

    /** A per-thread searcher. Not thread-safe. */
    interface Session {

        /** Row ids of the approximate top {@code k}, best first, searched with beam width {@code ef}. */
        int[] search(float[] query, int k, int ef) throws Exception;

        /** Distance computations of the last {@link #search}, or -1 when the engine cannot tell. */
        long lastDistanceComputations();
    }
}
