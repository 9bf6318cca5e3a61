package dev.vdb.cluster;

import dev.vdb.cluster.meta.CatalogListener;
import dev.vdb.cluster.meta.CatalogStateMachine;
import dev.vdb.cluster.shard.ShardStateMachine;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.VectorDb;
import java.io.IOException;
import java.net.ServerSocket;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vdb node of a static cluster: its local database, one Ratis server hosting the catalog
 * group (every node) and the Raft groups of the shards placed on this node, and clients of every
 * group. Collections are created and dropped through the catalog; their shards are hosted as
 * the catalog change is applied on each node.
 *
 * <p>Layout of the data directory: the engine's files as a single node has them, plus
 * {@code raft/} (one directory per Raft group: log, metadata, snapshots).
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class ClusterNode implements AutoCloseable, CatalogListener {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** How long {@link #close} waits for Ratis to stop before it gives up on it. */
    private static final java.time.Duration RAFT_CLOSE_WAIT = java.time.Duration.ofSeconds(30);
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ClusterTopology topology;
    private final ClusterOptions options;
    private final VectorDb db;
    private final LocalState local;
    private final CatalogStateMachine catalog;
    private final Map<RaftGroupId, ShardRef> shardsByGroup = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, RaftClient> writeClients = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, RaftClient> readClients = new ConcurrentHashMap<>();
    private final RaftServer server;

    /** A shard of a collection. */
    record ShardRef(CollectionSpec spec, int shard) {}

    private ClusterNode(ClusterTopology topology, Path dataDir, ClusterOptions options) throws IOException {
        this.topology = topology;
        this.options = options;
        checkPortFree(topology.self().clusterPort());
        this.db = VectorDb.open(dataDir);
        this.local = new LocalState(db);
        this.catalog = new CatalogStateMachine(local, this);
        for (CollectionSpec spec : catalog.specs()) {
            for (int s = 0; s < spec.shardNumber(); s++) {
                shardsByGroup.put(spec.groupId(s), new ShardRef(spec, s));
            }
        }
        this.server = RaftServer.newBuilder()
                .setServerId(RaftSetup.peerId(topology.selfId()))
                .setGroup(RaftSetup.group(RaftSetup.CATALOG, topology.nodes()))
                .setProperties(RaftSetup.serverProperties(dataDir.resolve("raft").toFile(),
                        topology.self().clusterPort(), options))
                .setStateMachineRegistry(this::stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
    }

    /**
     * Opens the local database in {@code dataDir} and starts this node's Raft server. Other nodes
     * need not be up yet: writes and catalog changes wait for a majority.
     */
    public static ClusterNode start(ClusterTopology topology, Path dataDir, ClusterOptions options) {
        try {
            return new ClusterNode(topology, dataDir, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start cluster node " + topology.selfId() + " in " + dataDir, e);
        }
    }

    /**
     * Refuses a cluster port something listens on, with an error naming it: Ratis itself exits
     * the JVM when its bind fails. (A port taken between this check and Ratis's bind still ends
     * so; the check catches the usual case, a second node or another server on the port.)
     */
    private static void checkPortFree(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            assert probe.isBound();
        } catch (IOException e) {
            throw new IllegalStateException("the cluster port " + port + " is in use (" + e.getMessage()
                    + "): stop what listens there or give this node another port in --peers", e);
        }
    }

    private StateMachine stateMachine(RaftGroupId gid) {
        if (gid.equals(RaftSetup.CATALOG)) {
            return catalog;
        }
        ShardRef ref = shardsByGroup.get(gid);
        if (ref == null) {
            LOG.warn("Raft group {} belongs to no collection in the catalog; it is left idle", gid);
            return new BaseStateMachine();
        }
        return new ShardStateMachine(db, local, ref.spec().localName(ref.shard()), ref.spec().config());
    }

    public ClusterTopology topology() {
        return topology;
    }

    public ClusterOptions options() {
        return options;
    }

    RaftServer server() {
        return server;
    }

    /** The catalog as applied on this node. */
    public List<CollectionSpec> specs() {
        return catalog.specs();
    }

    public Optional<CollectionSpec> spec(String name) {
        return catalog.spec(name);
    }

    /**
     * Creates a collection of {@code shards} shards with {@code replicationFactor} replicas each
     * through the catalog, and returns once every shard has a leader that answers, retrying for
     * {@link ClusterOptions#createTimeout()} while leaders are missing.
     *
     * @return the spec, as created now or earlier with the same shape
     * @throws dev.vdb.engine.CollectionConflictException when it exists with another shape
     */
    public CollectionSpec createCollection(String name, CollectionConfig config, int shards, int replicationFactor) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("collection name must match [A-Za-z0-9_-]{1,64}, got '" + name + "'");
        }
        CollectionSpec asked = new CollectionSpec(name, config, shards, replicationFactor, 0);
        if (replicationFactor > topology.size()) {
            throw new IllegalArgumentException("replication_factor " + replicationFactor + " is more than the "
                    + topology.size() + " nodes of the cluster");
        }
        String longestLocal = asked.createdAt(Long.MAX_VALUE).localName(shards - 1);
        if (longestLocal.length() > 64) {
            throw new IllegalArgumentException("collection name '" + name + "' is too long for a clustered collection: at most "
                    + (name.length() - (longestLocal.length() - 64)) + " characters with " + shards + " shards");
        }
        // Creating again is harmless (the same shape answers "not created"), so a creation that
        // found no leader yet (a cluster just started, groups still starting) is simply retried.
        long deadline = System.nanoTime() + options.createTimeout().toNanos();
        while (true) {
            try {
                return createOnce(asked);
            } catch (ClusterUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private CollectionSpec createOnce(CollectionSpec asked) {
        String name = asked.name();
        var reply = ClusterCalls.json(write(RaftSetup.CATALOG, this::catalogClient, CatalogStateMachine.create(asked),
                "create collection " + name));
        if (reply.has("conflict")) {
            throw new dev.vdb.engine.CollectionConflictException(reply.get("conflict").asText());
        }
        CollectionSpec spec = ClusterCalls.await(() -> catalog.spec(name), options.writeTimeout(),
                "collection " + name + " in this node's catalog");
        DistributedCollection c = new DistributedCollection(this, spec);
        c.awaitLeaders();
        return spec;
    }

    /** Drops a collection everywhere; false when there was none. */
    public boolean dropCollection(String name) {
        var reply = ClusterCalls.json(write(RaftSetup.CATALOG, this::catalogClient, CatalogStateMachine.drop(name),
                "drop collection " + name));
        if (reply.get("dropped").asBoolean()) {
            ClusterCalls.await(() -> catalog.spec(name).isEmpty() ? Optional.of(true) : Optional.empty(),
                    options.writeTimeout(), "drop of " + name + " on this node");
            return true;
        }
        return false;
    }

    /** The clustered collection {@code name}, or empty. */
    public Optional<DistributedCollection> collection(String name) {
        return catalog.spec(name).map(s -> new DistributedCollection(this, s));
    }

    @Override
    public void created(CollectionSpec spec) {
        for (int s = 0; s < spec.shardNumber(); s++) {
            shardsByGroup.put(spec.groupId(s), new ShardRef(spec, s));
            List<Integer> replicas = spec.replicas(s, topology.nodeIds());
            if (replicas.contains(topology.selfId())) {
                groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(), server.getId(), 0,
                        group(spec, s)), "host shard " + s + " of " + spec.name());
            }
        }
    }

    @Override
    public void dropped(CollectionSpec spec) {
        for (int s = 0; s < spec.shardNumber(); s++) {
            RaftGroupId gid = spec.groupId(s);
            closeClients(gid);
            if (spec.replicas(s, topology.nodeIds()).contains(topology.selfId())) {
                groupManagement(GroupManagementRequest.newRemove(ClientId.randomId(), server.getId(), 0, gid, true, false),
                        "drop shard " + s + " of " + spec.name());
                db.dropCollection(spec.localName(s));
                local.forget(spec.localName(s));
            }
            shardsByGroup.remove(gid);
        }
    }

    private void groupManagement(GroupManagementRequest request, String what) {
        try {
            RaftClientReply reply = server.groupManagement(request);
            if (!reply.isSuccess() && reply.getException() != null) {
                String msg = String.valueOf(reply.getException().getMessage());
                if (!msg.contains("already exists") && !msg.contains("not found")) {
                    throw new IllegalStateException(what + ": " + msg, reply.getException());
                }
            }
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("already exists") && !msg.contains("not found")) {
                throw new UncheckedIOException(what, e);
            }
        }
    }

    /** The Raft group of {@code shard}: its replicas' nodes. */
    RaftGroup group(CollectionSpec spec, int shard) {
        return RaftSetup.group(spec.groupId(shard),
                spec.replicas(shard, topology.nodeIds()).stream().map(topology::node).toList());
    }

    /** A write to group {@code gid} within the write timeout; a client that failed is replaced. */
    RaftClientReply write(RaftGroupId gid, java.util.function.Supplier<RaftClient> client, Message message, String what) {
        RaftClient c = client.get();
        try {
            return ClusterCalls.send(c, message, what, options.writeTimeout());
        } catch (ClusterUnavailableException e) {
            writeClients.remove(gid, c);
            throw e;
        }
    }

    RaftClient catalogClient() {
        return writeClients.computeIfAbsent(RaftSetup.CATALOG,
                g -> RaftSetup.writeClient(RaftSetup.group(g, topology.nodes()), options));
    }

    RaftClient writeClient(CollectionSpec spec, int shard) {
        return writeClients.computeIfAbsent(spec.groupId(shard), g -> RaftSetup.writeClient(group(spec, shard), options));
    }

    RaftClient readClient(CollectionSpec spec, int shard) {
        return readClients.computeIfAbsent(spec.groupId(shard), g -> RaftSetup.readClient(group(spec, shard), options));
    }

    /** This node's replica of {@code shard}, or null when it holds none (or it is not open yet). */
    ShardStateMachine localReplica(CollectionSpec spec, int shard) {
        try {
            var division = server.getDivision(spec.groupId(shard));
            return division.getStateMachine() instanceof ShardStateMachine sm ? sm : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void closeClients(RaftGroupId gid) {
        for (Map<RaftGroupId, RaftClient> m : List.of(writeClients, readClients)) {
            RaftClient c = m.remove(gid);
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    LOG.warn("closing the client of group {}: {}", gid, e.toString());
                }
            }
        }
    }

    /** Stops the Raft server (its groups' logs are durable) and closes the local database. */
    @Override
    public void close() {
        for (RaftGroupId gid : List.copyOf(writeClients.keySet())) {
            closeClients(gid);
        }
        for (RaftGroupId gid : List.copyOf(readClients.keySet())) {
            closeClients(gid);
        }
        Thread closing = Thread.ofPlatform().daemon().name("vdb-raft-close").start(() -> {
            try {
                server.close();
            } catch (IOException e) {
                LOG.warn("closing the Raft server: {}", e.toString());
            }
        });
        try {
            closing.join(RAFT_CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            // seen once after a snapshot install: a state machine updater spinning in its snapshot
            // check, so Ratis waits for it forever; closing the database under it could crash
            LOG.error("the Raft server did not close within {} s; the local database is left open until the JVM exits",
                    RAFT_CLOSE_WAIT.toSeconds());
            return;
        }
        db.close();
    }
}
