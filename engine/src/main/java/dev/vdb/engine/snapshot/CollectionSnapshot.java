package dev.vdb.engine.snapshot;

import dev.vdb.engine.collection.SnapshotHold;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.StoreSnapshot;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one collection into a snapshot file as of a RocksDB snapshot: first its derived files
 * (HNSW graph, BM25 and payload-index snapshots), each only when it is the file the RocksDB
 * snapshot records (length and CRC32C; a recovery rebuilds what is missing), then all its
 * records. The change log after each file's recorded write is among the records, so a recovered
 * collection brings its files up to date as an open after a crash does.
 *
 * <p>Not thread-safe: one per collection and snapshot. Copies through the writer's buffer.
 */
public final class CollectionSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionSnapshot.class);

    private final SnapshotHold hold;
    private final StoreSnapshot at;
    private final List<SnapshotManifest.Part> parts = new ArrayList<>();

    /** @param hold the collection, held with its checkpoints stopped until {@link #writeDerivedFiles} */
    public CollectionSnapshot(SnapshotHold hold, StoreSnapshot at) {
        this.hold = hold;
        this.at = at;
    }

    /** Copies the derived files that match their records in {@code at}. */
    public void writeDerivedFiles(SnapshotWriter out) throws IOException {
        copy(out, SnapshotManifest.Part.GRAPH, hold.files().graph(), PointCodec.GRAPH_STATE_KEY);
        copy(out, SnapshotManifest.Part.TEXT, hold.files().text(), PointCodec.TEXT_INDEX_STATE_KEY);
        copy(out, SnapshotManifest.Part.PAYLOAD, hold.files().payloadIndexes(), PointCodec.PAYLOAD_INDEX_STATE_KEY);
    }

    private void copy(SnapshotWriter out, String role, Path file, byte[] stateKey) throws IOException {
        DerivedFiles.FileState state = DerivedFiles.FileState.decode(hold.store().raw().get(at, stateKey));
        if (state == null) {
            return;
        }
        try {
            DerivedFiles.verify(file, state);
        } catch (IOException e) {
            LOG.warn("collection '{}': its {} file is left out of the snapshot ({}); a recovery rebuilds it",
                    hold.name(), role, e.getMessage());
            return;
        }
        DataOutputStream part = out.beginPart();
        Files.copy(file, part);
        parts.add(out.endPart(role, 0));
    }

    /** Writes every record as of {@code at}; returns the collection's manifest entry. */
    public SnapshotManifest.Entry writeRecords(SnapshotWriter out) throws IOException {
        DataOutputStream part = out.beginPart();
        long[] counts = new long[2]; // records, points
        try {
            hold.store().raw().forEach(at, (key, value) -> {
                try {
                    part.writeInt(key.length);
                    part.write(key);
                    part.writeInt(value.length);
                    part.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                counts[0]++;
                if (key[0] == PointCodec.VECTOR) {
                    counts[1]++;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        parts.add(out.endPart(SnapshotManifest.Part.RECORDS, counts[0]));
        byte[] sequence = hold.store().raw().get(at, PointCodec.WRITE_SEQUENCE_KEY);
        return new SnapshotManifest.Entry(hold.name(), hold.config(),
                sequence == null ? 0 : java.nio.ByteBuffer.wrap(sequence).getLong(), counts[1], parts);
    }
}
