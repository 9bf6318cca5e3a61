package dev.vdb.cluster;

import java.io.File;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * How vdb configures Ratis: gRPC transport, durable (fsynced) log appends, linearizable reads
 * (read index, with a leader lease), snapshots every {@link ClusterOptions#snapshotEvery}
 * entries, and clients that retry for a bounded time. Stateless and thread-safe.
 */
final class RaftSetup {

    /** The catalog's group, on every node. */
    static final RaftGroupId CATALOG = RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes("vdb-catalog".getBytes(StandardCharsets.UTF_8)));

    private RaftSetup() {}

    static RaftPeer peer(NodeAddress n) {
        return RaftPeer.newBuilder().setId(peerId(n.id())).setAddress(n.raftAddress()).build();
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    static RaftGroup group(RaftGroupId id, List<NodeAddress> nodes) {
        return RaftGroup.valueOf(id, nodes.stream().map(RaftSetup::peer).toList());
    }

    static RaftProperties serverProperties(File storageDir, int port, ClusterOptions o) {
        RaftProperties p = common(o);
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir));
        GrpcConfigKeys.Server.setPort(p, port);
        long election = o.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2 * election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, o.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Write.setByteLimit(p, SizeInBytes.valueOf("128MB"));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(o.logSegmentBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(4L << 20, o.logSegmentBytes())));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, o.snapshotEvery()));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        return p;
    }

    private static RaftProperties common(ClusterOptions o) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("64MB"));
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(o.readTimeout().toMillis(), TimeUnit.MILLISECONDS));
        return p;
    }

    /** A client of one group that keeps retrying (leader changes) for the write timeout. */
    static RaftClient writeClient(RaftGroup group, ClusterOptions o) {
        return client(group, o, RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                (int) Math.max(1, o.writeTimeout().toMillis() / 250), TimeDuration.valueOf(250, TimeUnit.MILLISECONDS)));
    }

    /** A client for reads of one chosen replica: one try, then the caller asks another replica. */
    static RaftClient readClient(RaftGroup group, ClusterOptions o) {
        return client(group, o, RetryPolicies.noRetry());
    }

    private static RaftClient client(RaftGroup group, ClusterOptions o, RetryPolicy retry) {
        return RaftClient.newBuilder().setProperties(common(o)).setRaftGroup(group).setClientId(ClientId.randomId())
                .setRetryPolicy(retry).build();
    }
}
