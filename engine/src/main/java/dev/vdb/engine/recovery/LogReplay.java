package dev.vdb.engine.recovery;

import dev.vdb.engine.PointId;
import dev.vdb.engine.storage.ChangeLog;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the change log says happened after a derived file's save: the points touched since, in
 * order, and how to bring a structure keyed by ordinal up to date from them. Replay is
 * idempotent: every ordinal a logged write took from or gave to a point is taken out, then each
 * touched point that RocksDB still holds is put back at its current ordinal with its current
 * record, so a save that already held some of the later writes comes out the same.
 *
 * <p>Stateless apart from what it read; not thread-safe (one open uses it).
 */
public final class LogReplay {

    /** A structure that replay brings up to date. */
    public interface Target {
        /** Takes {@code ordinal} out, if it is in. */
        void remove(int ordinal);

        /** Puts the point now at {@code ordinal} back, from its stored document record. */
        void add(int ordinal, PointId id, byte[] document);
    }

    private final List<ChangeLog.Entry> entries;
    private final long firstStored;

    private LogReplay(List<ChangeLog.Entry> entries, long firstStored) {
        this.entries = entries;
        this.firstStored = firstStored;
    }

    /** The log records after {@code afterSequence}. */
    public static LogReplay after(PointStore store, long afterSequence) {
        List<ChangeLog.Entry> entries = new ArrayList<>();
        long first = store.forEachLogRecord(afterSequence, (sequence, recorded) -> entries.addAll(recorded));
        return new LogReplay(entries, first);
    }

    /**
     * Whether the log still holds every write after {@code savedAt} up to {@code current}: a
     * save older than the log's start (truncated past it) cannot be brought up to date.
     */
    public boolean covers(long savedAt, long current) {
        return savedAt == current || (firstStored >= 0 && firstStored <= savedAt + 1);
    }

    /** The touched points, in log order: id, ordinal before, ordinal after (-1: none). */
    public List<ChangeLog.Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Brings {@code target} up to date: see the class comment. */
    public void applyTo(Target target, PointStore store) {
        Map<String, byte[]> touched = new LinkedHashMap<>();
        for (ChangeLog.Entry e : entries) {
            if (e.before() >= 0) {
                target.remove(e.before());
            }
            if (e.after() >= 0) {
                target.remove(e.after());
            }
            touched.put(java.util.HexFormat.of().formatHex(e.id()), e.id());
        }
        List<PointId> ids = new ArrayList<>(touched.size());
        for (byte[] id : touched.values()) {
            ids.add(PointCodec.id(id, 0));
        }
        List<byte[]> records = store.records(ids);
        for (int i = 0; i < ids.size(); i++) {
            byte[] vector = records.get(2 * i);
            byte[] document = records.get(2 * i + 1);
            if (vector != null && document != null) {
                target.add(PointCodec.ordinalOfVectorRecord(vector), ids.get(i), document);
            }
        }
    }
}
