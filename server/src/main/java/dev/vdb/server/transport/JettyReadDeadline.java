package dev.vdb.server.transport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes the connections whose current request, head and body, has been arriving for longer than
 * the read timeout, however steadily its bytes trickle (Jetty's idle timeout restarts on every
 * byte, and Jetty 12's core server has no whole-request deadline). Every quarter of the timeout it
 * reads each connection's HTTP parser: past the start of a request and short of its end means a
 * request is being read (its body only as the handler reads it, as on the JDK server). A request
 * seen being read for longer than the timeout is cut off: between one and one and a half timeouts
 * after it began. Runs on Jetty's scheduler thread only (one sweep at a time); the parser state and
 * request count it reads are volatile and atomic.
 */
final class JettyReadDeadline implements Runnable {
    private final AbstractConnector connector;
    private final long timeoutNanos;
    private final long periodMillis;
    /** The requests being read at the last sweep, by connection. Scheduler thread only. */
    private Map<HttpConnection, Reading> reading = new HashMap<>();
    private volatile Scheduler.Task next;
    private volatile boolean stopped;

    /** A request being read: which one on its connection, and since when (first seen). */
    private record Reading(long request, long sinceNanos) {}

    private JettyReadDeadline(AbstractConnector connector, Duration timeout) {
        this.connector = connector;
        this.timeoutNanos = timeout.toNanos();
        this.periodMillis = Math.max(1, timeout.toMillis() / 4);
    }

    /** Starts sweeping the started {@code connector}'s connections. */
    static JettyReadDeadline start(AbstractConnector connector, Duration timeout) {
        JettyReadDeadline deadline = new JettyReadDeadline(connector, timeout);
        deadline.schedule();
        return deadline;
    }

    void stop() {
        stopped = true;
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    private void schedule() {
        if (!stopped) {
            next = connector.getScheduler().schedule(this, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void run() {
        try {
            sweep(System.nanoTime());
        } finally {
            schedule();
        }
    }

    private void sweep(long now) {
        Map<HttpConnection, Reading> seen = new HashMap<>();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            HttpConnection http = httpConnection(endPoint.getConnection());
            if (http == null) {
                continue;
            }
            long request = requestBeingRead(http);
            if (request < 0) {
                continue;
            }
            Reading before = reading.get(http);
            Reading current = before != null && before.request() == request ? before : new Reading(request, now);
            if (now - current.sinceNanos() > timeoutNanos) {
                endPoint.close(); // the handler's read of the body, if any, fails; nothing is answered
            } else {
                seen.put(http, current);
            }
        }
        reading = seen;
    }

    /**
     * The number of the request the connection is reading (its requests are counted once their
     * head is complete), or -1 when it is reading none: idle between requests, or answering one
     * whose body it has read.
     */
    private static long requestBeingRead(HttpConnection http) {
        long heads;
        HttpParser.State state;
        do { // a state read while a head completed would be counted against the wrong request
            heads = http.getMessagesIn();
            state = http.getParser().getState();
        } while (http.getMessagesIn() != heads);
        if (state == HttpParser.State.START || state.ordinal() >= HttpParser.State.END.ordinal()) {
            return -1;
        }
        boolean inHead = state.ordinal() <= HttpParser.State.HEADER.ordinal();
        return inHead ? heads + 1 : heads;
    }

    private static HttpConnection httpConnection(Connection connection) {
        Connection inner = connection instanceof SslConnection tls ? tls.getSslEndPoint().getConnection() : connection;
        return inner instanceof HttpConnection http ? http : null;
    }
}
