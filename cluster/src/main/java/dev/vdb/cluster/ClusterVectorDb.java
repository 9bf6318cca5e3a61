package dev.vdb.cluster;

import dev.vdb.engine.AliasChange;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.Snapshots;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import java.util.List;
import java.util.Map;

/**
 * A cluster node seen through the embedded {@link VectorDb} interface, so that code written for
 * one node (the HTTP server) serves clustered collections unchanged. A collection created here
 * has one shard and one replica; {@link ClusterNode#createCollection} takes both. Closing it
 * closes the node. Thread-safe.
 */
public final class ClusterVectorDb implements VectorDb {

    private final ClusterNode node;

    public ClusterVectorDb(ClusterNode node) {
        this.node = node;
    }

    public ClusterNode node() {
        return node;
    }

    @Override
    public VectorCollection createCollection(String name, CollectionConfig config) {
        node.createCollection(name, config, 1, 1);
        return collection(name);
    }

    @Override
    public DistributedCollection collection(String name) {
        return node.collection(name).orElseThrow(() -> new NoSuchCollectionException(name));
    }

    /** Refused: the cluster's catalog keeps no aliases yet. */
    @Override
    public void updateAliases(List<AliasChange> changes) {
        throw new IllegalArgumentException("aliases are not kept for cluster collections yet: use the collection's name");
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of();
    }

    @Override
    public Snapshots snapshots() {
        return new NoClusterSnapshots();
    }

    @Override
    public List<String> collectionNames() {
        return node.specs().stream().map(CollectionSpec::name).sorted().toList();
    }

    @Override
    public boolean dropCollection(String name) {
        return node.dropCollection(name);
    }

    @Override
    public void close() {
        node.close();
    }
}
