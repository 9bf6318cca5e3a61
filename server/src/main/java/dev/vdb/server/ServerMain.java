package dev.vdb.server;

import dev.vdb.engine.VectorDb;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vdb serve}: opens the database, serves it over HTTP and prints
 * {@code vdb listening on http://HOST:PORT (data DIR)} once ready. On SIGTERM or Ctrl-C it
 * stops accepting, lets requests in flight finish (bounded) and closes the database.
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
            description = "Require this key in the api-key header (all but /healthz); default: $VDB_API_KEY, "
                    + "which keeps the key out of the process list.")
    String apiKey;

    @Option(names = "--max-body-bytes", defaultValue = "" + ServerOptions.DEFAULT_MAX_BODY_BYTES,
            description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--threads", description = "Requests handled at once (default: 2 x cores, at least 4).")
    Integer threads;

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
                threads == null ? ServerOptions.defaultThreads() : threads);
        Path dir = data.toAbsolutePath().normalize();
        VectorDb db = ClusterCli.openDb(dir, nodeId, clusterPort, peers, port);
        VdbServer server;
        try {
            server = VdbServer.start(db, options);
        } catch (Exception e) {
            db.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(server, db), "vdb-shutdown"));
        System.out.println("vdb listening on http://" + hostForUrl(options.host()) + ":" + server.address().getPort()
                + " (data " + dir + ")");
        System.out.flush();
        return 0;
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
