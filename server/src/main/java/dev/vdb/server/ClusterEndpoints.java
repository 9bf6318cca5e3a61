package dev.vdb.server;

import dev.vdb.cluster.ClusterStatus;
import dev.vdb.cluster.ClusterVectorDb;
import dev.vdb.cluster.CollectionSpec;
import dev.vdb.cluster.DistributedCollection;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;

/**
 * The cluster's share of the HTTP API: collection creation with {@code shard_number} and
 * {@code replication_factor}, {@code GET /cluster} and {@code GET /collections/{name}/cluster}.
 * A server started without {@code --peers} creates collections as before and reports the
 * cluster as disabled. Stateless and thread-safe.
 */
final class ClusterEndpoints {

    private ClusterEndpoints() {}

    /** A collection's shard number and replication factor, as its info reports them. */
    record Sharding(int shardNumber, int replicationFactor) {

        static Sharding of(VectorCollection c) {
            return c instanceof DistributedCollection d
                    ? new Sharding(d.spec().shardNumber(), d.spec().replicationFactor())
                    : new Sharding(1, 1);
        }
    }

    static void createCollection(VectorDb db, String name, CollectionRequestParser.CollectionCreation c) {
        if (db instanceof ClusterVectorDb cluster) {
            cluster.node().createCollection(name, c.config(), c.shardNumber(), c.replicationFactor());
        } else if (c.shardNumber() != 1 || c.replicationFactor() != 1) {
            throw new IllegalArgumentException("shard_number " + c.shardNumber() + " and replication_factor "
                    + c.replicationFactor() + " need a cluster: start every node with --node-id, --cluster-port and --peers");
        } else {
            db.createCollection(name, c.config());
        }
    }

    static ResultWriter cluster(VectorDb db) {
        if (db instanceof ClusterVectorDb cluster) {
            String json = ClusterStatus.node(cluster.node()).toString();
            return g -> g.writeRawValue(json);
        }
        return g -> {
            g.writeStartObject();
            g.writeStringField("status", "disabled");
            g.writeEndObject();
        };
    }

    static ResultWriter collectionCluster(VectorDb db, String name) {
        if (db instanceof ClusterVectorDb cluster) {
            CollectionSpec spec = cluster.node().spec(name).orElseThrow(() -> new NoSuchCollectionException(name));
            String json = ClusterStatus.collection(cluster.node(), spec).toString();
            return g -> g.writeRawValue(json);
        }
        db.collection(name);
        return g -> {
            g.writeStartObject();
            g.writeNumberField("shard_number", 1);
            g.writeNumberField("replication_factor", 1);
            g.writeStringField("status", "disabled");
            g.writeEndObject();
        };
    }
}
