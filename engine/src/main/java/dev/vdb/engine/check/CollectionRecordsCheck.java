package dev.vdb.engine.check;

import dev.vdb.engine.db.StoredCollection;
import dev.vdb.engine.storage.KeySpace;
import dev.vdb.engine.storage.PointCodec;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One collection's records checked against each other (docs/FORMAT.md): every vector record
 * well-formed and of the collection's dimension, its ordinal below the stored next ordinal and
 * owned by no other point, named by that ordinal's {@code 'o'} key; a document record for every
 * point and none without one; no {@code 'o'} key naming another point or none. Problems go to
 * the {@link CheckReport}. Not thread-safe; holds the collection's ids while it runs.
 */
final class CollectionRecordsCheck {

    /** Takes each well-formed vector record the scan decodes (another check that reads them too). */
    interface VectorRecords {
        VectorRecords NONE = (id, ordinal, vector) -> { };

        void vector(String id, int ordinal, float[] vector);
    }

    private final String where;
    private final CheckReport report;
    private final VectorRecords vectors;
    private long points;
    private boolean sound = true;

    private CollectionRecordsCheck(String where, CheckReport report, VectorRecords vectors) {
        this.where = where;
        this.report = report;
        this.vectors = vectors;
    }

    /** Checks the records of {@code entry}, which live in {@code space}, handing each vector record to {@code vectors}. */
    static CollectionRecordsCheck run(RocksDB db, KeySpace space, StoredCollection entry, CheckReport report,
                                      VectorRecords vectors) {
        CollectionRecordsCheck check = new CollectionRecordsCheck("collection " + entry.name(), report, vectors);
        check.scan(db, space, entry);
        return check;
    }

    long points() {
        return points;
    }

    boolean sound() {
        return sound;
    }

    private void problem(String what) {
        sound = false;
        report.problem(where, what, false);
    }

    private void scan(RocksDB db, KeySpace space, StoredCollection entry) {
        byte[] next = OfflineCheck.get(db, space, PointCodec.NEXT_ORDINAL_KEY);
        int nextOrdinal = next == null ? 0 : PointCodec.intOf(next);
        Set<ByteBuffer> documents = new HashSet<>();
        Map<Integer, ByteBuffer> ordinalKeys = new HashMap<>();
        Map<Integer, ByteBuffer> ordinalOwners = new HashMap<>();
        try (ReadOptions options = new ReadOptions().setFillCache(false).setVerifyChecksums(true);
             RocksIterator it = db.newIterator(space.columnFamily(), options)) {
            for (it.seek(space.start()); it.isValid() && space.contains(it.key()); it.next()) {
                byte[] key = space.local(it.key());
                ByteBuffer id = ByteBuffer.wrap(key, 1, key.length - 1).slice();
                switch (key[0]) {
                    case PointCodec.DOC -> documents.add(id);
                    case PointCodec.ORDINAL -> ordinalKeys.put(PointCodec.ordinalOfKey(key), ByteBuffer.wrap(it.value()));
                    case PointCodec.VECTOR -> vector(PointCodec.id(key, 1).toString(), id, it.value(), entry, nextOrdinal,
                            ordinalOwners);
                    case PointCodec.LOG, PointCodec.META -> { }
                    default -> problem("a record with an unknown key tag " + key[0]);
                }
            }
            it.status();
        } catch (RocksDBException | RuntimeException e) {
            problem("reading its records failed: " + e.getMessage());
            return;
        }
        for (Map.Entry<Integer, ByteBuffer> owner : ordinalOwners.entrySet()) {
            ByteBuffer named = ordinalKeys.remove(owner.getKey());
            if (!owner.getValue().equals(named)) {
                problem("ordinal " + owner.getKey() + " of point " + idText(owner.getValue()) + " is named by "
                        + (named == null ? "no 'o' key" : "an 'o' key naming point " + idText(named)));
            }
            if (!documents.remove(owner.getValue())) {
                problem("point " + idText(owner.getValue()) + " has no document record");
            }
        }
        ordinalKeys.forEach((ordinal, id) -> problem("the 'o' key of ordinal " + ordinal + " names point " + idText(id)
                + ", whose vector record does not hold that ordinal"));
        documents.forEach(id -> problem("point " + idText(id) + " has a document record but no vector record"));
    }

    private void vector(String id, ByteBuffer idBytes, byte[] record, StoredCollection entry, int nextOrdinal,
                        Map<Integer, ByteBuffer> owners) {
        points++;
        float[] vector;
        int ordinal;
        try {
            ordinal = PointCodec.ordinalOfVectorRecord(record);
            vector = PointCodec.vectorOfRecord(record);
        } catch (IllegalStateException e) {
            problem("point " + id + ": " + e.getMessage());
            return;
        }
        if (vector.length != entry.config().dimension()) {
            problem("point " + id + " has a vector of dimension " + vector.length + " in a collection of dimension "
                    + entry.config().dimension());
        }
        vectors.vector(id, ordinal, vector);
        if (ordinal < 0 || ordinal >= nextOrdinal) {
            problem("point " + id + " has ordinal " + ordinal + ", outside 0.." + (nextOrdinal - 1));
        }
        ByteBuffer other = owners.putIfAbsent(ordinal, idBytes);
        if (other != null) {
            problem("points " + idText(other) + " and " + id + " share ordinal " + ordinal
                    + " (the next open gives one of them a new ordinal)");
        }
    }

    private static String idText(ByteBuffer id) {
        byte[] bytes = new byte[id.remaining()];
        id.duplicate().get(bytes);
        return PointCodec.id(bytes, 0).toString();
    }
}
