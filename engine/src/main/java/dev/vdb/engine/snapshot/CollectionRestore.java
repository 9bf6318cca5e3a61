package dev.vdb.engine.snapshot;

import dev.vdb.engine.InvalidSnapshotException;
import dev.vdb.engine.db.CollectionFiles;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fills an empty collection (a fresh column family no one uses yet, and its derived-file paths)
 * from one collection of a verified snapshot: its records in batches of about 4 MiB, then its
 * derived files by the commit protocol, then a WAL sync so all of it is durable before the
 * collection is published. The id map's recorded state is left out (the map is rebuilt on
 * open), and so is the state of any derived file the snapshot does not hold.
 *
 * <p>Stateless and thread-safe.
 */
public final class CollectionRestore {

    private static final long BATCH_BYTES = 4 << 20;

    private CollectionRestore() {}

    public static void fill(SnapshotReader snapshot, SnapshotManifest.Entry entry, PointStore store,
                            CollectionFiles files) {
        SnapshotManifest.Part records = entry.part(SnapshotManifest.Part.RECORDS);
        if (records == null) {
            throw new InvalidSnapshotException("the snapshot is damaged: collection '" + entry.name() + "' has no records");
        }
        // the id map, the vector file and the codes are not in a snapshot: their states would name files of the source
        List<byte[]> skipped = new ArrayList<>(List.of(PointCodec.ID_MAP_STATE_KEY, PointCodec.VECTOR_FILE_STATE_KEY,
                PointCodec.CODES_STATE_KEY));
        try {
            restoreFile(snapshot, entry.part(SnapshotManifest.Part.GRAPH), files.graph(), PointCodec.GRAPH_STATE_KEY, skipped);
            restoreFile(snapshot, entry.part(SnapshotManifest.Part.TEXT), files.text(), PointCodec.TEXT_INDEX_STATE_KEY,
                    skipped);
            restoreFile(snapshot, entry.part(SnapshotManifest.Part.PAYLOAD), files.payloadIndexes(),
                    PointCodec.PAYLOAD_INDEX_STATE_KEY, skipped);
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            long[] bytes = {0};
            snapshot.forEachRecord(records, (key, value) -> {
                if (key.length == 0) {
                    throw new InvalidSnapshotException("the snapshot is damaged: a record with an empty key");
                }
                if (skipped.stream().anyMatch(k -> Arrays.equals(k, key))) {
                    return;
                }
                keys.add(key);
                values.add(value);
                bytes[0] += key.length + value.length;
                if (bytes[0] >= BATCH_BYTES) {
                    store.raw().write(keys, values);
                    keys.clear();
                    values.clear();
                    bytes[0] = 0;
                }
            });
            store.raw().write(keys, values);
        } catch (IOException e) {
            throw new InvalidSnapshotException("the snapshot file cannot be read: " + e.getMessage(), e);
        }
        store.syncWal();
    }

    /** Writes a derived file from its part; when the snapshot has none, its recorded state is skipped. */
    private static void restoreFile(SnapshotReader snapshot, SnapshotManifest.Part part, Path file, byte[] stateKey,
                                    List<byte[]> skipped) throws IOException {
        if (part == null) {
            skipped.add(stateKey);
            return;
        }
        DerivedFiles.commit(file, out -> {
            try (InputStream in = snapshot.part(part)) {
                in.transferTo(out);
            }
        }, 0);
    }
}
