package dev.vdb.engine.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;

/**
 * A collection's records as they stood at one moment (a RocksDB snapshot): what a long scan of
 * stored payloads reads so that it needs no lock while writers go on. Close it to release the
 * snapshot (RocksDB keeps the versions it pins until then).
 *
 * <p>Safe for one thread at a time; every call allocates its keys and results.
 */
public final class PointSnapshot implements AutoCloseable {

    private final String collection;
    private final RocksDB db;
    private final KeySpace space;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;

    PointSnapshot(String collection, RocksDB db, KeySpace space) {
        this.collection = collection;
        this.db = db;
        this.space = space;
        this.snapshot = db.getSnapshot();
        this.readOptions = new ReadOptions().setSnapshot(snapshot).setFillCache(false);
    }

    /** The id each ordinal belonged to at the snapshot, null where none did. */
    public List<PointId> idsOf(int[] ordinals, int from, int to) {
        List<byte[]> keys = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            keys.add(PointCodec.ordinalKey(ordinals[i]));
        }
        List<PointId> ids = new ArrayList<>(keys.size());
        for (byte[] id : multiGet(keys)) {
            ids.add(id == null ? null : PointCodec.id(id, 0));
        }
        return ids;
    }

    /** The stored payload of each id at the snapshot, null where the point had none or was absent. */
    public List<ObjectNode> payloads(List<PointId> ids) {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (PointId id : ids) {
            // an absent id reads the empty key, which holds nothing
            keys.add(id == null ? new byte[0] : PointCodec.key(PointCodec.DOC, PointCodec.idBytes(id)));
        }
        List<ObjectNode> out = new ArrayList<>(ids.size());
        for (byte[] doc : multiGet(keys)) {
            out.add(doc == null ? null : PointCodec.payloadOfDoc(doc));
        }
        return out;
    }

    private List<byte[]> multiGet(List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return db.multiGetAsList(readOptions, Collections.nCopies(keys.size(), space.columnFamily()),
                    keys.stream().map(space::key).toList());
        } catch (RocksDBException e) {
            throw RocksFailures.of("collection '" + collection + "': reading payloads from a snapshot", e);
        }
    }

    @Override
    public void close() {
        readOptions.close();
        db.releaseSnapshot(snapshot);
    }
}
