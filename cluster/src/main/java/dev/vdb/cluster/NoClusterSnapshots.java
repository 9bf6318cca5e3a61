package dev.vdb.cluster;

import dev.vdb.engine.SnapshotInfo;
import dev.vdb.engine.Snapshots;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Snapshots on a cluster node: not offered yet. A node's store holds only its replicas of some
 * shards, and recovering one replica behind Raft's back would fork it from its group, so every
 * call is refused (a 400 over HTTP) naming the reason. Stateless.
 */
final class NoClusterSnapshots implements Snapshots {

    private static IllegalArgumentException refused() {
        return new IllegalArgumentException("snapshots are not available on a cluster node yet: a node holds only"
                + " replicas of some shards, and Raft snapshots keep them in step (take snapshots of a single-node"
                + " database)");
    }

    @Override
    public SnapshotInfo create(String collection) {
        throw refused();
    }

    @Override
    public List<SnapshotInfo> list(String collection) {
        throw refused();
    }

    @Override
    public Path file(String collection, String snapshot) {
        throw refused();
    }

    @Override
    public boolean delete(String collection, String snapshot) {
        throw refused();
    }

    @Override
    public void recover(String collection, Path file, String sha256) {
        throw refused();
    }

    @Override
    public void recover(String collection, InputStream snapshot, String sha256) {
        throw refused();
    }

    @Override
    public SnapshotInfo createFull() {
        throw refused();
    }

    @Override
    public List<SnapshotInfo> listFull() {
        throw refused();
    }

    @Override
    public Path fullFile(String snapshot) {
        throw refused();
    }

    @Override
    public boolean deleteFull(String snapshot) {
        throw refused();
    }

    @Override
    public void recoverFull(Path file, String sha256) {
        throw refused();
    }
}
