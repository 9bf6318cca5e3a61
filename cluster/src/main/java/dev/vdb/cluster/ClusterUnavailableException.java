package dev.vdb.cluster;

/**
 * A write or read that the cluster could not carry out now: a shard without a reachable majority
 * (or leader) within the timeout, or no replica of a shard answering. Nothing was acknowledged;
 * a write may still be applied later (as any write without an answer may). HTTP 503.
 */
public class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
