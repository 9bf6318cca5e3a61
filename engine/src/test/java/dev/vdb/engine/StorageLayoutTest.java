package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where collections live in RocksDB: new ones share one column family under a key prefix each;
 * an older version's store (a column family per collection, catalog format 1) opens and keeps
 * working; a catalog entry of an unknown format is refused by name; collections load on their
 * first call, not when the database opens.
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
}
