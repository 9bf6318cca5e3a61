package dev.vdb.cluster;

/**
 * One node of a cluster as the command line names it: {@code ID=HOST:HTTP_PORT:CLUSTER_PORT}.
 * Immutable.
 *
 * @param id a positive integer, unique in the cluster
 * @param httpPort the port of the node's HTTP API
 * @param clusterPort the port of the node's Raft transport
 */
public record NodeAddress(int id, String host, int httpPort, int clusterPort) {

    public NodeAddress {
        if (id < 1) {
            throw new IllegalArgumentException("peers: a node id must be a positive integer, got " + id);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("peers: node " + id + " has no host");
        }
        checkPort(id, "HTTP", httpPort);
        checkPort(id, "cluster", clusterPort);
    }

    private static void checkPort(int id, String what, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("peers: node " + id + " has " + what + " port " + port
                    + ", expected 1..65535");
        }
    }

    /** The Raft transport address, {@code host:clusterPort}. */
    public String raftAddress() {
        return host + ":" + clusterPort;
    }

    /** The HTTP base address, {@code http://host:httpPort}. */
    public String httpAddress() {
        return "http://" + host + ":" + httpPort;
    }

    /** Parses {@code ID=HOST:HTTP_PORT:CLUSTER_PORT}, naming the entry in any error. */
    public static NodeAddress parse(String entry) {
        String[] idAndRest = entry.trim().split("=", 2);
        String[] parts = idAndRest.length == 2 ? idAndRest[1].split(":") : new String[0];
        if (parts.length != 3) {
            throw new IllegalArgumentException("peers: '" + entry + "' is not ID=HOST:HTTP_PORT:CLUSTER_PORT");
        }
        try {
            return new NodeAddress(Integer.parseInt(idAndRest[0].trim()), parts[0], Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peers: '" + entry + "' has a non-numeric id or port", e);
        }
    }

    @Override
    public String toString() {
        return id + "=" + host + ":" + httpPort + ":" + clusterPort;
    }
}
