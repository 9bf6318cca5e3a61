package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Waits, as a client watching {@code status: green} would, until a collection's graph has linked
 * every point: after an open that found the saved graph behind RocksDB, the missing points are
 * linked in the background (searches score them exactly meanwhile); or until its tenant graphs
 * are built.
 */
final class Indexing {

    private static final long TIMEOUT_NANOS = 120_000_000_000L;

    private Indexing() {}

    /** Returns the collection's point count once {@link VectorCollection#indexedVectorsCount} reaches it. */
    static long awaitIndexed(VectorCollection c) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            long count = c.count();
            long indexed = c.indexedVectorsCount();
            if (indexed == count) {
                return count;
            }
            if (System.nanoTime() > deadline) {
                fail("the graph linked " + indexed + " of " + count + " points within 120 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits for the background build of a collection's tenant graphs to end (the surefire timeout bounds the wait). */
    static void awaitTenantGraphs(VectorCollection c) {
        while (c.diagnostics().tenantGraphsBuilding()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
