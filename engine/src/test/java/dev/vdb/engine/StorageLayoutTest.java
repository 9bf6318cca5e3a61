package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.engine.check.CheckReport;
import dev.vdb.engine.check.OfflineCheck;
import dev.vdb.engine.storage.PointCodec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where collections live in RocksDB: new ones share one column family under a key prefix each;
 * an older version's store (a column family per collection, catalog format 1) opens and keeps
 * working; a catalog entry of an unknown format is refused by name; collections load on their
 * first call, not when the database opens; records a recovery cut short left under a number of
 * no collection are reported by the offline check and deleted by the next open; a recovery that
 * replaces an older collection puts it in the shared column family and drops its own.
 */
class StorageLayoutTest {

    @TempDir
    Path dir;

    @Test
    void anOlderStoreWithAColumnFamilyPerCollectionOpensAndKeepsWorking() throws Exception {
        LegacyStores.addFormat1Collection(dir, "old", "c.old.0b5e", 2);
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(List.of("old"), db.collectionNames());
            db.collection("old").upsert(List.of(Point.of(1, new float[] {1, 2}), Point.of(2, new float[] {3, 4})));
            db.createCollection("new", CollectionConfig.of(2, Distance.EUCLID)).upsert(List.of(Point.of(1, new float[] {9, 9})));
        }
        assertTrue(LegacyStores.liveKeys(dir, "c.old.0b5e") > 0, "the old collection's records stay in its column family");
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection old = db.collection("old");
            assertEquals(2, old.count());
            assertArrayEquals(new float[] {3, 4}, old.get(PointId.of(2)).orElseThrow().vector());
            assertEquals(PointId.of(1), old.search(SearchRequest.of(new float[] {1, 1}, 1)).get(0).id());
            assertArrayEquals(new float[] {9, 9}, db.collection("new").get(PointId.of(1)).orElseThrow().vector());
            assertTrue(db.dropCollection("old"));
        }
        assertEquals(-1, LegacyStores.liveKeys(dir, "c.old.0b5e"), "dropping it drops its column family");
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(List.of("new"), db.collectionNames());
            assertEquals(1, db.collection("new").count());
        }
    }

    @Test
    void aCatalogEntryOfAnUnknownFormatIsRefusedByName() throws Exception {
        try (VectorDb db = VectorDb.open(dir)) {
            db.createCollection("c", CollectionConfig.of(2, Distance.DOT));
        }
        LegacyStores.putCatalogEntry(dir, "future", "{\"format\":9,\"name\":\"future\"}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> VectorDb.open(dir));
        assertTrue(e.getMessage().contains("unknown format 9") && e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void collectionsLoadOnTheirFirstCallNotWhenTheDatabaseOpens() {
        try (VectorDb db = VectorDb.open(dir, new DbOptions(false, 100))) {
            for (int i = 0; i < 20; i++) {
                VectorCollection c = db.createCollection("c" + i, CollectionConfig.of(2, Distance.DOT));
                assertFalse(c.isLoaded(), "a new collection costs nothing until used");
                c.upsert(List.of(Point.of(i, new float[] {i, 1})));
                assertTrue(c.isLoaded());
            }
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(20, db.collectionNames().size());
            assertTrue(db.collectionNames().stream().noneMatch(n -> db.collection(n).isLoaded()));
            VectorCollection c7 = db.collection("c7");
            assertEquals(PointId.of(7), c7.search(SearchRequest.of(new float[] {1, 0}, 1)).get(0).id());
            assertTrue(c7.isLoaded());
            assertEquals(List.of("c7"), db.collectionNames().stream().filter(n -> db.collection(n).isLoaded()).toList());
        }
    }

    @Test
    void recordsARecoveryCutShortLeftAreReportedAndTheNextOpenDeletesThem() throws Exception {
        try (VectorDb db = VectorDb.open(dir)) {
            db.createCollection("c", CollectionConfig.of(2, Distance.EUCLID))
                    .upsert(List.of(Point.of(1, new float[] {1, 2}), Point.of(2, new float[] {3, 4})));
        }
        // what a recovery killed before its catalog batch leaves: its staged mark and records under its number, 1
        LegacyStores.putDefault(dir, "staged/1", "c");
        LegacyStores.putShared(dir, 1, PointCodec.key(PointCodec.VECTOR, PointCodec.idBytes(PointId.of(9))),
                PointCodec.vectorRecord(0, new float[] {5, 6}));
        // and records under a number no recovery was filling: damage, which the open leaves alone
        LegacyStores.putShared(dir, 7, PointCodec.NEXT_ORDINAL_KEY, PointCodec.intValue(1));
        CheckReport report = OfflineCheck.run(dir);
        assertEquals(2, report.problems().size(), report.lines().toString());
        assertTrue(report.problems().get(0).what().contains("collection number 1, which no collection has (a snapshot"),
                report.lines().toString());
        assertTrue(report.problems().get(1).what().contains("collection number 7, which no collection has and no"),
                report.lines().toString());
        assertFalse(report.repairable());
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(2, db.collection("c").count());
        }
        assertEquals(List.of(0L, 7L), LegacyStores.numbersWithRecords(dir));
        assertEquals(1, OfflineCheck.run(dir).problems().size());
    }

    @Test
    void aRecoveryReplacingAnOlderCollectionMovesItIntoTheSharedColumnFamily() throws Exception {
        LegacyStores.addFormat1Collection(dir, "old", "c.old.0b5e", 2);
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection old = db.collection("old");
            old.upsert(List.of(Point.of(1, new float[] {1, 2}), Point.of(2, new float[] {3, 4})));
            SnapshotInfo snapshot = db.snapshots().create("old");
            old.upsert(List.of(Point.of(3, new float[] {5, 6})));
            db.snapshots().recover("old", db.snapshots().file("old", snapshot.name()), snapshot.checksum());
            assertEquals(2, db.collection("old").count());
        }
        assertEquals(-1, LegacyStores.liveKeys(dir, "c.old.0b5e"), "the replaced column family is dropped");
        assertEquals(List.of(0L), LegacyStores.numbersWithRecords(dir), "the recovered records are under number 0");
        assertTrue(OfflineCheck.run(dir).clean());
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection old = db.collection("old");
            assertEquals(2, old.count());
            assertArrayEquals(new float[] {3, 4}, old.get(PointId.of(2)).orElseThrow().vector());
            assertTrue(old.get(PointId.of(3)).isEmpty());
        }
    }
}
