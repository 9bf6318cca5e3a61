package dev.vdb.cluster.proto;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;

/**
 * Ratis prototype: three servers (one per process) in one group with a state machine that
 * only counts, and a client that measures committed writes per second and their latency.
 *
 * <pre>
 * java RatisProto node ID DIR RPC(grpc|netty) PEERS        PEERS = 1=127.0.0.1:7001,2=...,3=...
 * java RatisProto client RPC PEERS THREADS SECONDS BYTES
 * </pre>
 *
 * Not thread-safe beyond what Ratis gives; a throwaway measurement tool.
 */
public final class RatisProto {
    static final RaftGroupId GROUP = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("proto".getBytes(StandardCharsets.UTF_8)));

    public static void main(String[] args) throws Exception {
        if (args[0].equals("node")) {
            node(args[1], new File(args[2]), args[3], group(args[4]));
        } else {
            client(args[1], group(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        }
    }

    static RaftGroup group(String spec) {
        List<RaftPeer> peers = new ArrayList<>();
        for (String p : spec.split(",")) {
            String[] kv = p.split("=");
            peers.add(RaftPeer.newBuilder().setId(kv[0]).setAddress(kv[1]).build());
        }
        return RaftGroup.valueOf(GROUP, peers);
    }

    static RaftProperties props(String rpc) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, rpc.equals("netty") ? SupportedRpcType.NETTY : SupportedRpcType.GRPC);
        return p;
    }

    static void node(String id, File dir, String rpc, RaftGroup group) throws Exception {
        RaftProperties p = props(rpc);
        RaftServerConfigKeys.setStorageDir(p, List.of(dir));
        int port = Integer.parseInt(group.getPeer(RaftPeerId.valueOf(id)).getAddress().split(":")[1]);
        if (rpc.equals("netty")) {
            NettyConfigKeys.Server.setPort(p, port);
        } else {
            GrpcConfigKeys.Server.setPort(p, port);
        }
        RaftServer server = RaftServer.newBuilder().setGroup(group).setServerId(RaftPeerId.valueOf(id))
                .setProperties(p).setStateMachine(new CountingStateMachine())
                .setOption(RaftStorage.StartupOption.RECOVER).build();
        server.start();
        System.out.println("ratis node " + id + " up");
        Thread.currentThread().join();
    }

    static final class CountingStateMachine extends BaseStateMachine {
        final AtomicLong applied = new AtomicLong();

        @Override
        public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
            var entry = trx.getLogEntry();
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(Message.valueOf(Long.toString(applied.incrementAndGet())));
        }
    }

    static void client(String rpc, RaftGroup group, int threads, int seconds, int bytes) throws Exception {
        byte[] payload = new byte[bytes];
        try (RaftClient c = RaftClient.newBuilder().setProperties(props(rpc)).setRaftGroup(group).build()) {
            long t0 = System.nanoTime();
            c.io().send(Message.valueOf("warm-up"));   // waits for the first leader
            System.out.printf("first write after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        List<long[]> lat = new ArrayList<>();
        long warm = System.nanoTime() + 3_000_000_000L;
        long end = warm + (seconds - 3) * 1_000_000_000L;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long[] l = new long[2_000_000];
            lat.add(l);
            ts[t] = new Thread(() -> {
                try (RaftClient c = RaftClient.newBuilder().setProperties(props(rpc)).setRaftGroup(group).build()) {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        RaftClientReply r = c.io().send(Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(payload)));
                        if (!r.isSuccess()) {
                            throw new IllegalStateException(r.toString());
                        }
                        if (s > warm && n < l.length - 1) {
                            l[++n] = System.nanoTime() - s;
                        }
                        l[0] = n;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        Stats.print("ratis-" + rpc, threads, bytes, seconds - 3, lat);
        System.exit(0);
    }
}
