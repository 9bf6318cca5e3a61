package dev.vdb.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets the server module's tests look at engine internals (same package on the class path): the
 * id map of a data directory compared with RocksDB. Opens the database embedded, so the server
 * must not be running.
 */
public final class IdMapProbe {

    private IdMapProbe() {}

    /**
     * What an open found and how the id map compares with RocksDB.
     *
     * @param rebuiltBecause why the id-map file was rebuilt on this open, or null when it was verified and reused
     * @param count the collection's live points
     * @param disagreements ids whose id-map ordinal differs from the ordinal of their RocksDB record
     */
    public record IdMapReport(String rebuiltBecause, long count, List<String> disagreements) {}

    /** Opens {@code dir}, compares the id map with RocksDB for every id in {@code ids} and closes it. */
    public static IdMapReport idMapAgainstRocksDb(Path dir, String collection, List<PointId> ids) {
        try (VectorDb db = VectorDb.open(dir)) {
            RocksCollection c = (RocksCollection) db.collection(collection);
            int[] stored = c.store().ordinalsOf(ids.stream().map(PointCodec::idBytes).toArray(byte[][]::new));
            List<String> disagreements = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                int mapped = c.idMapOrdinal(ids.get(i));
                if (mapped != stored[i]) {
                    disagreements.add(ids.get(i) + ": id map " + mapped + ", RocksDB " + stored[i]);
                }
            }
            return new IdMapReport(c.idMapRebuiltBecause(), c.count(), disagreements);
        }
    }
}
