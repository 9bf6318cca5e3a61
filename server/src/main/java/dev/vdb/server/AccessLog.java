package dev.vdb.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log, one line per request through the slf4j logger {@value #LOGGER} (so the host's
 * logging decides where it goes), written by one daemon thread: a request only offers its line
 * to a bounded lock-free queue, and never waits for the logger's lock, its formatting or its
 * write. Lines reach the logger in request order within a few milliseconds (at most
 * {@value #MAX_IDLE_MILLIS} ms after an idle spell). When the writer falls behind by
 * {@value #CAPACITY} lines, further lines are dropped and counted, and the writer logs how many
 * with its next line.
 *
 * <p>Thread safety: {@link #record} from any thread; {@link #close} once, after which lines are
 * dropped silently.
 */
final class AccessLog implements AutoCloseable {
    static final String LOGGER = "dev.vdb.server.access";
    static final int CAPACITY = 1 << 16;
    private static final long MAX_IDLE_MILLIS = 50;

    /** One request, formatted on the writer thread. */
    private record Line(String remote, String method, String path, int status, int bytes, long micros) {}

    private final Logger logger;
    private final ManyToOneConcurrentArrayQueue<Line> queue = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    /** Starts the writer thread; nothing is started when the logger's info level is off. */
    static AccessLog start() {
        return new AccessLog(LoggerFactory.getLogger(LOGGER));
    }

    AccessLog(Logger logger) {
        this.logger = logger;
        if (logger.isInfoEnabled()) {
            writer = Thread.ofPlatform().name("vdb-access-log").daemon().unstarted(this::drainUntilClosed);
            writer.start();
        } else {
            writer = null;
        }
    }

    /** Queues the line of one answered request. Never blocks. */
    void record(String remote, String method, String path, int status, int bytes, long micros) {
        if (writer == null || closed) {
            return;
        }
        if (!queue.offer(new Line(remote, method, path, status, bytes, micros))) {
            dropped.incrementAndGet();
        }
    }

    private void drainUntilClosed() {
        long idleMillis = 1;
        while (!closed) {
            if (queue.drain(this::write) > 0) {
                idleMillis = 1;
            } else {
                // backs off while idle, so an idle server wakes about 20 times a second
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(idleMillis));
                idleMillis = Math.min(MAX_IDLE_MILLIS, idleMillis * 2);
            }
        }
        queue.drain(this::write);
    }

    private void write(Line line) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            logger.warn("{} access-log lines dropped: the log could not keep up with the requests", lost);
        }
        logger.info("{} {} {} {} {}B {}us", line.remote(), line.method(), line.path(), line.status(), line.bytes(),
                line.micros());
    }

    /** Writes the lines still queued and stops the writer thread. */
    @Override
    public void close() {
        closed = true;
        if (writer != null) {
            LockSupport.unpark(writer);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
