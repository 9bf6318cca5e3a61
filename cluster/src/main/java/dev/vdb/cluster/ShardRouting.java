package dev.vdb.cluster;

import dev.vdb.engine.PointId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where points and shards live: a point belongs to the shard given by a hash of its id, and
 * shard {@code s} has its replicas on the nodes {@code s, s+1, ..., s+R-1} (mod N) of the
 * ascending node list, so the R replicas of a shard are on distinct nodes and shards spread
 * evenly. Both are pure functions: every node computes the same answer. Stateless, thread-safe.
 */
public final class ShardRouting {

    private ShardRouting() {}

    /** The shard of {@code id} among {@code shards}: 64-bit FNV-1a of the id's tag and bytes. */
    public static int shardOf(PointId id, int shards) {
        if (shards == 1) {
            return 0;
        }
        long h = 0xcbf29ce484222325L;
        byte[] bytes;
        if (id instanceof PointId.Num n) {
            h = mix(h, (byte) 0);
            bytes = new byte[8];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (n.id() >>> (56 - 8 * i));
            }
        } else {
            h = mix(h, (byte) 1);
            bytes = ((PointId.Str) id).id().getBytes(StandardCharsets.UTF_8);
        }
        for (byte b : bytes) {
            h = mix(h, b);
        }
        h ^= h >>> 33;   // the low bits of FNV alone spread small consecutive integers poorly
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, shards);
    }

    private static long mix(long h, byte b) {
        return (h ^ (b & 0xff)) * 0x100000001b3L;
    }

    /** The node ids holding {@code shard}'s replicas, first the one where placement starts. */
    public static List<Integer> replicas(int shard, int replicationFactor, List<Integer> nodeIds) {
        if (replicationFactor > nodeIds.size()) {
            throw new IllegalArgumentException("replication_factor " + replicationFactor
                    + " is more than the " + nodeIds.size() + " nodes of the cluster");
        }
        List<Integer> out = new ArrayList<>(replicationFactor);
        for (int i = 0; i < replicationFactor; i++) {
            out.add(nodeIds.get((shard + i) % nodeIds.size()));
        }
        return out;
    }
}
