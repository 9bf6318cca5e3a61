package dev.vdb.cluster;

import java.time.Duration;

/**
 * Tuning of a node's Raft groups. Immutable.
 *
 * @param snapshotEvery log entries between a shard's snapshots (Ratis auto-trigger); the log
 *     before a snapshot is purged, so a replica further behind than this installs the snapshot
 * @param electionTimeout the lower bound of Raft's randomised election timeout (the upper is twice
 *     it): how long followers wait for a silent leader before electing another
 * @param writeTimeout how long a write keeps retrying (leader changes, a missing majority) before
 *     it is refused
 * @param readTimeout how long a read of one replica may take before the next replica is asked
 * @param logSegmentBytes the size at which a Raft log segment is closed; only closed segments
 *     are purged after a snapshot
 */
public record ClusterOptions(long snapshotEvery, Duration electionTimeout, Duration writeTimeout,
                             Duration readTimeout, long logSegmentBytes) {

    public static final ClusterOptions DEFAULT = new ClusterOptions(
            50_000, Duration.ofMillis(1000), Duration.ofSeconds(15), Duration.ofSeconds(3), 8L << 20);

    public ClusterOptions {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery must be positive, got " + snapshotEvery);
        }
        if (electionTimeout.toMillis() < 50) {
            throw new IllegalArgumentException("electionTimeout must be at least 50 ms, got " + electionTimeout);
        }
        if (logSegmentBytes < 1024) {
            throw new IllegalArgumentException("logSegmentBytes must be at least 1024, got " + logSegmentBytes);
        }
        if (writeTimeout.toMillis() < 100 || readTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("write and read timeouts must be at least 100 ms, got "
                    + writeTimeout + " and " + readTimeout);
        }
    }

    /**
     * How long creating a collection may keep retrying: every node starts its shards' Raft groups
     * and each elects a leader, which on a busy machine takes longer than a write (4 write
     * timeouts).
     */
    public Duration createTimeout() {
        return writeTimeout.multipliedBy(4);
    }

    public ClusterOptions withSnapshotEvery(long entries) {
        return new ClusterOptions(entries, electionTimeout, writeTimeout, readTimeout, logSegmentBytes);
    }

    public ClusterOptions withWriteTimeout(Duration timeout) {
        return new ClusterOptions(snapshotEvery, electionTimeout, timeout, readTimeout, logSegmentBytes);
    }

    public ClusterOptions withLogSegmentBytes(long bytes) {
        return new ClusterOptions(snapshotEvery, electionTimeout, writeTimeout, readTimeout, bytes);
    }
}
