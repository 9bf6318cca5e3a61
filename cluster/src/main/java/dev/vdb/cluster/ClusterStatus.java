package dev.vdb.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.cluster.shard.ShardRead;
import java.io.IOException;
import java.util.Locale;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * What {@code GET /cluster} and {@code GET /collections/{name}/cluster} report: this node, its
 * peers and the catalog group's view of them; a collection's shards with each replica's role,
 * applied log index and points (asked of each replica without a read index, so an isolated or
 * lagging replica still answers with what it has). Stateless and thread-safe.
 */
public final class ClusterStatus {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClusterStatus() {}

    public static JsonNode node(ClusterNode node) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("status", "enabled")
                .put("peer_id", node.topology().selfId());
        ObjectNode catalog = o.putObject("raft_info");
        ObjectNode peers = o.putObject("peers");
        try {
            RaftServer.Division d = node.server().getDivision(RaftSetup.CATALOG);
            var info = d.getInfo();
            catalog.put("role", info.getCurrentRole().name().toLowerCase(Locale.ROOT))
                    .put("term", info.getCurrentTerm())
                    .put("leader", info.getLeaderId() == null ? null : info.getLeaderId().toString())
                    .put("commit", d.getRaftLog().getLastCommittedIndex());
            for (NodeAddress n : node.topology().nodes()) {
                ObjectNode p = peers.putObject(Integer.toString(n.id()));
                p.put("uri", n.httpAddress()).put("raft", n.raftAddress());
                p.put("state", n.id() == node.topology().selfId() ? info.getCurrentRole().name().toLowerCase(Locale.ROOT)
                        : RaftSetup.peerId(n.id()).equals(info.getLeaderId()) ? "leader" : "follower");
                for (CommitInfoProto ci : d.getCommitInfos()) {
                    if (ci.getServer().getId().toStringUtf8().equals(Integer.toString(n.id()))) {
                        p.put("commit", ci.getCommitIndex());
                    }
                }
            }
        } catch (IOException e) {
            catalog.put("error", e.toString());
        }
        return o;
    }

    public static JsonNode collection(ClusterNode node, CollectionSpec spec) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("peer_id", node.topology().selfId())
                .put("shard_number", spec.shardNumber()).put("replication_factor", spec.replicationFactor());
        ArrayNode shards = o.putArray("shards");
        Message info = Message.valueOf(ByteString.copyFromUtf8(ShardRead.encode(new ShardRead.Info()).toString()));
        for (int s = 0; s < spec.shardNumber(); s++) {
            ObjectNode shard = shards.addObject().put("shard_id", s);
            ArrayNode replicas = shard.putArray("replicas");
            String leader = null;
            for (int id : spec.replicas(s, node.topology().nodeIds())) {
                ObjectNode r = replicas.addObject().put("peer_id", id);
                try {
                    RaftClientReply reply = node.readClient(spec, s).io().sendStaleRead(info, 0, RaftSetup.peerId(id));
                    JsonNode a = MAPPER.readTree(reply.getMessage().getContent().newInput());
                    r.put("state", a.get("role").asText()).put("applied_index", a.get("applied_index").asLong())
                            .put("points", a.get("points").asLong());
                    if (a.get("role").asText().equals("leader")) {
                        leader = Integer.toString(id);
                    }
                } catch (IOException | RuntimeException e) {
                    r.put("state", "unreachable").put("error", String.valueOf(e.getMessage()));
                }
            }
            shard.put("leader", leader);
        }
        return o;
    }
}
