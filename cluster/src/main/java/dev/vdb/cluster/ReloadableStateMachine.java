package dev.vdb.cluster;

import java.io.File;
import java.io.IOException;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * What vdb's Raft state machines share: a snapshot per file in Ratis' storage, entries up to
 * the applied mark skipped on replay, and a state replaced by a snapshot installed from the
 * leader. Ratis pauses a state machine before it installs a snapshot and asserts that it is
 * paused before {@link #reinitialize()}: this class keeps that life cycle (running, paused while
 * the snapshot loads, running again), so that subclasses only start ({@link #start}), apply,
 * write a snapshot ({@link #publishSnapshot}) and load one ({@link #loadInstalledSnapshot}).
 *
 * <p>Thread safety: Ratis applies entries and calls {@link #pause()}, {@link #reinitialize()}
 * and snapshots on the group's one apply thread; the life cycle and the storage's latest
 * snapshot are safe to read from other threads.
 */
public abstract class ReloadableStateMachine extends BaseStateMachine {

    /** This replica's snapshot files (Ratis' {@code sm/} directory of the group). */
    protected final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    @Override
    public final void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().startAndTransition(() -> {
            storage.init(raftStorage);
            start();
        }, IOException.class);
    }

    /** Opens this replica's state; called once, before any entry is applied. */
    protected abstract void start() throws IOException;

    /** Replaces this replica's state with the snapshot Ratis has just installed in {@link #storage}. */
    protected abstract void loadInstalledSnapshot() throws IOException;

    @Override
    public final StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public final SnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    /** Whether {@code ti} is at or before the last applied entry (a replay after a restart). */
    protected final boolean alreadyApplied(TermIndex ti) {
        TermIndex last = getLastAppliedTermIndex();
        return last != null && ti.getIndex() <= last.getIndex();
    }

    @Override
    public final void notifyTermIndexUpdated(long term, long index) {
        if (!alreadyApplied(TermIndex.valueOf(term, index))) {
            updateLastAppliedTermIndex(term, index);
        }
    }

    /** The entry a snapshot taken now would stand for, or null before the first one is applied. */
    protected final TermIndex snapshotPoint() {
        TermIndex last = getLastAppliedTermIndex();
        return last == null || last.getIndex() < 0 ? null : last;
    }

    /** Records {@code file}, written and synced, as the latest snapshot, at {@code at}. */
    protected final void publishSnapshot(File file, TermIndex at) throws IOException {
        var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        // Ratis caches the latest snapshot; without this it would send one that retention deleted.
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at));
    }

    @Override
    public final void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public final void reinitialize() throws IOException {
        loadInstalledSnapshot();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }
}
