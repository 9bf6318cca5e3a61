package dev.vdb.engine.db;

import dev.vdb.engine.collection.RocksCollection;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unloads the collections no call has touched for a while ({@code DbOptions.unloadAfterIdle}):
 * one daemon thread looks at every collection each tenth of that time (at least every
 * {@value #MIN_PERIOD_MILLIS} ms), and {@link RocksCollection#unloadIfIdle} never waits for a
 * running call. A collection is thus unloaded between its idle time and 1.1 times it.
 *
 * <p>Thread-safe: the collections are read from the database's concurrent map.
 */
final class IdleUnloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleUnloader.class);
    private static final long MIN_PERIOD_MILLIS = 10;

    private final ScheduledExecutorService thread;

    private IdleUnloader(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    static IdleUnloader start(Duration idle, Collection<RocksCollection> collections) {
        long idleNanos = idle.toNanos();
        long period = Math.max(MIN_PERIOD_MILLIS, idle.toMillis() / 10);
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vdb-idle-unloader");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> {
            for (RocksCollection c : collections) {
                try {
                    c.unloadIfIdle(idleNanos);
                } catch (RuntimeException e) {
                    LOG.warn("collection '{}': unloading it failed; it stays loaded", c.name(), e);
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return new IdleUnloader(thread);
    }

    /** Stops the thread once a running round has finished. */
    @Override
    public void close() {
        thread.shutdown(); // no interrupt: a running unload is writing files
        try {
            thread.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
