package dev.vdb.cluster;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A write split over several shards of which some did not acknowledge their part; the message and
 * {@link #results()} say per shard what was applied. HTTP 503.
 */
public final class ShardWriteException extends ClusterUnavailableException {

    private final transient List<ShardResult> results;

    public ShardWriteException(String collection, List<ShardResult> results, Throwable cause) {
        super("the write to " + collection + " was applied on some shards only (each shard's part is atomic): "
                + results.stream().map(r -> "shard " + r.shard() + (r.applied() ? " applied " + r.count()
                        : " not acknowledged (" + r.error() + ")")).collect(Collectors.joining("; ")), cause);
        this.results = List.copyOf(results);
    }

    public List<ShardResult> results() {
        return results;
    }
}
