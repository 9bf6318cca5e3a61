package dev.vdb.server.transport;

import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;

/**
 * Closes every connection accepted beyond the cap, as soon as it is accepted and before it is
 * read, while the connector keeps accepting. (Jetty's own {@code NetworkConnectionLimit} stops
 * accepting instead: the connections beyond the cap would wait unanswered in the listen backlog.)
 * Jetty calls it from its acceptor and selector threads; thread-safe.
 */
final class JettyConnectionCap implements SelectorManager.AcceptListener {
    private final int max;
    /** Connections accepted and not yet closed, plus those being refused. */
    private final AtomicInteger open = new AtomicInteger();

    JettyConnectionCap(int max) {
        this.max = max;
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        if (open.incrementAndGet() > max) {
            // Jetty then fails to register the closed channel and calls onAcceptFailed
            IO.close(channel);
        }
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        open.decrementAndGet();
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        open.decrementAndGet();
    }
}
