package dev.vdb.testkit.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test or benchmark starts on ports it names (cluster nodes: every node must
 * know every other's port before any starts). Chosen below Linux's ephemeral range (32768 and
 * up), where the kernel picks the local ports of outgoing connections: an ephemeral port free
 * now can be taken by any connection another test opens before the node binds it, and Ratis
 * exits the JVM when its bind fails. Thread-safe.
 */
public final class Ports {

    private static final int LOW = 20_000;
    private static final int HIGH = 32_768;

    private Ports() {}

    /** A port in [20000, 32768) that nothing listens on now. */
    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            try (ServerSocket probe = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        throw new IllegalStateException("no free port in [" + LOW + ", " + HIGH + ") after 1,000 tries");
    }
}
