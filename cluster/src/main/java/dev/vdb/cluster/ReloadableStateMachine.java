package dev.vdb.cluster;

import java.io.IOException;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;

/**
 * A Raft state machine that can replace its state with a snapshot installed from the leader.
 * Ratis pauses a state machine before it installs a snapshot and asserts that it is paused
 * before {@link #reinitialize()}: this class keeps that life cycle (running, paused while the
 * snapshot loads, running again) so that subclasses only start ({@link #start}) and load
 * ({@link #loadInstalledSnapshot}).
 *
 * <p>Thread safety: Ratis calls {@link #pause()} and {@link #reinitialize()} from the group's
 * one apply thread; the life cycle itself is thread-safe.
 */
public abstract class ReloadableStateMachine extends BaseStateMachine {

    @Override
    public final void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().startAndTransition(() -> start(raftStorage), IOException.class);
    }

    /** Opens this replica's state from its storage; called once, before any entry is applied. */
    protected abstract void start(RaftStorage raftStorage) throws IOException;

    /** Replaces this replica's state with the snapshot Ratis has just installed in its storage. */
    protected abstract void loadInstalledSnapshot() throws IOException;

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
