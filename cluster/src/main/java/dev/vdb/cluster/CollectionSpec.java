package dev.vdb.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.cluster.wire.RequestWire;
import dev.vdb.engine.CollectionConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * A clustered collection as the cluster catalog holds it: its config, how many shards and how
 * many replicas of each, and the catalog log index that created it (so a collection dropped
 * and created again gets new Raft groups and new local collections). Immutable.
 *
 * @param shardNumber shards, 1..{@value #MAX_SHARDS}
 * @param replicationFactor replicas of each shard, 1..the number of nodes
 * @param createdAt the catalog log index of the creation, 0 before it is committed
 */
public record CollectionSpec(String name, CollectionConfig config, int shardNumber, int replicationFactor,
                             long createdAt) {

    public static final int MAX_SHARDS = 1024;

    public CollectionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        if (shardNumber < 1 || shardNumber > MAX_SHARDS) {
            throw new IllegalArgumentException("shard_number must be in 1.." + MAX_SHARDS + ", got " + shardNumber);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication_factor must be at least 1, got " + replicationFactor);
        }
    }

    /** The same spec as created at catalog index {@code index}. */
    public CollectionSpec createdAt(long index) {
        return new CollectionSpec(name, config, shardNumber, replicationFactor, index);
    }

    /** Same config, shards and replicas (the creation index aside). */
    public boolean sameShape(CollectionSpec o) {
        return config.equals(o.config) && shardNumber == o.shardNumber && replicationFactor == o.replicationFactor;
    }

    /** The Raft group of {@code shard}. */
    public RaftGroupId groupId(int shard) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                ("vdb-shard/" + name + "/" + createdAt + "/" + shard).getBytes(StandardCharsets.UTF_8)));
    }

    /** The name of {@code shard}'s local collection on a node that holds a replica. */
    public String localName(int shard) {
        return "s" + createdAt + "_" + shard + "_" + name;
    }

    /** Node ids holding {@code shard}. */
    public List<Integer> replicas(int shard, List<Integer> nodeIds) {
        return ShardRouting.replicas(shard, replicationFactor, nodeIds);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name).put("shard_number", shardNumber).put("replication_factor", replicationFactor)
                .put("created_at", createdAt).set("config", RequestWire.config(config));
        return o;
    }

    public static CollectionSpec fromJson(JsonNode n) {
        return new CollectionSpec(n.get("name").asText(), RequestWire.config(n.get("config")),
                n.get("shard_number").asInt(), n.get("replication_factor").asInt(), n.get("created_at").asLong());
    }
}
