package dev.vdb.server;

import dev.vdb.cluster.ClusterVectorDb;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.VectorDb;
import dev.vdb.server.transport.TransportKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code ./vdb serve}: opens the database, serves it over HTTP and prints
 * {@code vdb listening on http://HOST:PORT (data DIR: opened, C collections)} once
 * ready ({@code created, empty} when the directory was new or empty, so a mistyped {@code --data}
 * shows at once). On SIGTERM or Ctrl-C it stops accepting, lets requests in flight finish
 * (bounded) and closes the database.
 */
@Command(name = "vdb serve", mixinStandardHelpOptions = true,
        description = "Serves a vdb database over HTTP (API: see the README).")
public final class ServerMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

    @Option(names = "--data", defaultValue = "./data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--host", defaultValue = ServerOptions.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerOptions.DEFAULT_PORT,
            description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-key", defaultValue = "${env:VDB_API_KEY}",
            description = "Require this key in the api-key header or as Authorization: Bearer (all but /healthz); "
                    + "default: $VDB_API_KEY, which keeps the key out of the process list.")
    String apiKey;

    @Option(names = "--max-body-bytes", defaultValue = "" + ServerOptions.DEFAULT_MAX_BODY_BYTES,
            description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--unload-idle", defaultValue = "0", paramLabel = "SECONDS",
            description = "Release the memory of a collection untouched for this many seconds; its next request loads it "
                    + "again (default: ${DEFAULT-VALUE}, never).")
    long unloadIdleSeconds;

    @Option(names = "--threads", description = "Requests handled at once (default: 2 x cores, at least 4).")
    Integer threads;

    @Option(names = "--max-connections", defaultValue = "" + ServerOptions.DEFAULT_MAX_CONNECTIONS,
            description = "Open connections at most; more are closed at once (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--read-timeout", defaultValue = "30",
            description = "Seconds a client may take to send a request (head and body); idle connections close "
                    + "after as long (default: ${DEFAULT-VALUE}).")
    int readTimeoutSeconds;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "A web origin (e.g. https://app.example.com) whose pages may call the API; repeatable; * for "
                    + "any. Other cross-origin requests get 403.")
    List<String> corsOrigins = new ArrayList<>();

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "A name clients reach this server under, accepted in the Host header besides the bound "
                    + "address (and localhost on loopback); repeatable. Other names get 403 (DNS rebinding).")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate chain (PEM).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--max-payload-bytes", defaultValue = "" + ServerOptions.DEFAULT_MAX_PAYLOAD_BYTES,
            description = "Largest payload of one point, in bytes of JSON; a bigger one is a 400 naming the point "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxPayloadBytes;

    @Option(names = "--search-timeout", defaultValue = "30",
            description = "Seconds a search, count or delete by filter may run when its request gives no timeout "
                    + "parameter; then it is cancelled and answered 503 (default: ${DEFAULT-VALUE}).")
    double searchTimeoutSeconds;

    @Option(names = "--transport", paramLabel = "jetty|jdk", defaultValue = TransportKind.DEFAULT_NAME,
            description = "HTTP server underneath: jetty (Jetty 12, faster) or jdk (the JDK's own server, "
                    + "com.sun.net.httpserver) (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--node-id", description = "This node's id among --peers (cluster mode).")
    Integer nodeId;

    @Option(names = "--cluster-port", description = "This node's Raft port; must equal its entry in --peers (cluster mode).")
    Integer clusterPort;

    @Option(names = "--peers", description = "Every node of the cluster, this one included: "
            + "ID=HOST:HTTP_PORT:CLUSTER_PORT,... (cluster mode; without it the server runs alone, as before).")
    String peers;

    public static void main(String[] args) {
        int code = new CommandLine(new ServerMain())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("vdb serve: " + e);
                    return 1;
                })
                .execute(args);
        if (code != 0) {
            System.exit(code);
        }
        // On success the server's threads keep the JVM alive until SIGTERM runs the shutdown hook.
    }

    @Override
    public Integer call() throws Exception {
        ServerOptions options = new ServerOptions(host, port, apiKey, maxBodyBytes,
                threads == null ? ServerOptions.defaultThreads() : threads, maxConnections,
                Duration.ofSeconds(readTimeoutSeconds), corsOrigins, allowedHosts, tlsCert, tlsKey, maxPayloadBytes,
                Duration.ofNanos(Math.round(searchTimeoutSeconds * 1e9)), TransportKind.parse(transport));
        Path dir = data.toAbsolutePath().normalize();
        boolean existed = holdsFiles(dir);
        if (unloadIdleSeconds < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--unload-idle must be 0 (never) or a number of seconds, got " + unloadIdleSeconds);
        }
        DbOptions dbOptions = DbOptions.DEFAULT.withMaxPayloadBytes(maxPayloadBytes)
                .withUnloadAfterIdle(Duration.ofSeconds(unloadIdleSeconds));
        VectorDb db = ClusterCli.openDb(dir, dbOptions, nodeId, clusterPort, peers, port);
        VdbServer server;
        try {
            server = VdbServer.start(db, options);
        } catch (Exception e) {
            db.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(server, db), "vdb-shutdown"));
        System.out.println("vdb listening on " + server.scheme() + "://" + hostForUrl(options.host()) + ":"
                + server.address().getPort() + " (data " + dir + ": " + describe(db, existed) + ")");
        System.out.flush();
        return 0;
    }

    private static boolean holdsFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }

    /**
     * "created, empty" or "opened, C collections": read from the catalog only, so that starting
     * loads no collection (each loads on its first request).
     */
    private static String describe(VectorDb db, boolean existed) {
        if (db instanceof ClusterVectorDb cluster) {
            return ClusterCli.describe(cluster, existed);
        }
        if (!existed) {
            return "created, empty";
        }
        int count = db.collectionNames().size();
        return String.format(Locale.ROOT, "opened, %,d collection%s", count, count == 1 ? "" : "s");
    }

    private static void shutDown(VdbServer server, VectorDb db) {
        LOG.info("shutting down: no new requests, finishing those in flight");
        if (server.stop(VdbServer.DEFAULT_GRACE)) {
            db.close();
            LOG.info("database closed cleanly");
        } else {
            // Closing RocksDB under a running request could crash the JVM; every acknowledged
            // write is already synced, so the next open recovers as after a crash.
            LOG.warn("database left open: requests did not finish in time");
        }
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
