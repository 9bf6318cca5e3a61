package dev.vdb.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The static membership of a cluster (every node, this one included) and which node this is.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * ClusterTopology t = ClusterTopology.parse(1, "1=127.0.0.1:6333:7333,2=127.0.0.1:6334:7334,3=127.0.0.1:6335:7335");
 * }</pre>
 */
public final class ClusterTopology {

    private final int selfId;
    private final Map<Integer, NodeAddress> nodes;

    public ClusterTopology(int selfId, List<NodeAddress> nodes) {
        Map<Integer, NodeAddress> byId = new TreeMap<>();
        for (NodeAddress n : nodes) {
            if (byId.put(n.id(), n) != null) {
                throw new IllegalArgumentException("peers: node id " + n.id() + " is listed twice");
            }
        }
        if (!byId.containsKey(selfId)) {
            throw new IllegalArgumentException("node-id " + selfId + " is not among the peers " + byId.keySet()
                    + " (list every node, this one included)");
        }
        this.selfId = selfId;
        this.nodes = Map.copyOf(byId);
    }

    /** Parses {@code --peers}: comma-separated {@code ID=HOST:HTTP_PORT:CLUSTER_PORT} entries. */
    public static ClusterTopology parse(int selfId, String peers) {
        if (peers == null || peers.isBlank()) {
            throw new IllegalArgumentException("peers must list every node as ID=HOST:HTTP_PORT:CLUSTER_PORT,...");
        }
        List<NodeAddress> list = new ArrayList<>();
        for (String entry : peers.split(",")) {
            list.add(NodeAddress.parse(entry));
        }
        return new ClusterTopology(selfId, list);
    }

    public int selfId() {
        return selfId;
    }

    public NodeAddress self() {
        return nodes.get(selfId);
    }

    /** Every node, by ascending id. */
    public List<NodeAddress> nodes() {
        return nodes.values().stream().sorted(Comparator.comparingInt(NodeAddress::id)).toList();
    }

    /** Node ids, ascending. */
    public List<Integer> nodeIds() {
        return nodes().stream().map(NodeAddress::id).toList();
    }

    public NodeAddress node(int id) {
        NodeAddress n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id + " among " + nodes.keySet());
        }
        return n;
    }

    public int size() {
        return nodes.size();
    }
}
