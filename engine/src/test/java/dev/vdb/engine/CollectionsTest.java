package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Creating, listing, dropping collections and the database lifecycle. */
class CollectionsTest {

    @TempDir
    Path dir;

    @Test
    void createListAndReopenKeepConfigs() {
        CollectionConfig a = new CollectionConfig(4, Distance.DOT, new HnswConfig(8, 50), new TextConfig("standard", 1f, 0.5f));
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection created = db.createCollection("b-2", CollectionConfig.of(3, Distance.COSINE));
            db.createCollection("a_1", a);
            assertSame(created, db.createCollection("b-2", CollectionConfig.of(3, Distance.COSINE)));
            assertEquals(List.of("a_1", "b-2"), db.collectionNames());
            CollectionConflictException conflict = assertThrows(CollectionConflictException.class,
                    () -> db.createCollection("b-2", CollectionConfig.of(4, Distance.COSINE)));
            assertTrue(conflict.getMessage().contains("b-2"), conflict.getMessage());
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(List.of("a_1", "b-2"), db.collectionNames());
            assertEquals(a, db.collection("a_1").config());
            assertEquals(CollectionConfig.of(3, Distance.COSINE), db.collection("b-2").config());
            assertThrows(CollectionConflictException.class, () -> db.createCollection("a_1", CollectionConfig.of(4, Distance.DOT)));
        }
    }

    /** A vector's name (Qdrant's named vector) is part of the config: kept across reopens and snapshots. */
    @Test
    void aVectorNameIsKeptAcrossReopenAndSnapshot() throws IOException {
        CollectionConfig named = CollectionConfig.of(3, Distance.DOT).withVectorName("dense");
        try (VectorDb db = VectorDb.open(dir)) {
            db.createCollection("n", named).upsert(List.of(Point.of(1, new float[] {1, 2, 3})));
            assertThrows(CollectionConflictException.class, () -> db.createCollection("n", CollectionConfig.of(3, Distance.DOT)));
            SnapshotInfo info = db.snapshots().create("n");
            db.snapshots().recover("copy", db.snapshots().file("n", info.name()), info.checksum());
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(named, db.collection("n").config());
            assertEquals("dense", db.collection("copy").config().vectorName());
            assertEquals(1, db.collection("copy").count());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> named.withVectorName("text")).getMessage()
                .contains("not be \"text\""));
        assertEquals("", CollectionConfig.of(3, Distance.DOT).vectorName(), "unnamed by default");
    }

    @Test
    void badNamesAreRejectedWithTheName() {
        try (VectorDb db = VectorDb.open(dir)) {
            for (String bad : new String[] {"", "a b", "x/y", "é", "a".repeat(65), "..", "c.d"}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> db.createCollection(bad, CollectionConfig.of(2, Distance.DOT)));
                assertTrue(e.getMessage().contains("collection name") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> db.collection(bad));
                assertThrows(IllegalArgumentException.class, () -> db.dropCollection(bad));
            }
            assertThrows(IllegalArgumentException.class, () -> db.createCollection(null, CollectionConfig.of(2, Distance.DOT)));
            db.createCollection("a".repeat(64), CollectionConfig.of(2, Distance.DOT));
            assertEquals(List.of("a".repeat(64)), db.collectionNames());
        }
    }

    @Test
    void unknownCollectionIsNoSuchCollection() {
        try (VectorDb db = VectorDb.open(dir)) {
            NoSuchCollectionException e = assertThrows(NoSuchCollectionException.class, () -> db.collection("nope"));
            assertTrue(e.getMessage().contains("nope"));
            assertFalse(db.dropCollection("nope"));
        }
    }

    @Test
    void dropRemovesDataFromDiskAndRecreateStartsEmpty() throws Exception {
        Path idMaps = dir.resolve("idmap");
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection c = db.createCollection("gone", CollectionConfig.of(2, Distance.EUCLID));
            c.upsert(List.of(Point.of(1, new float[] {1, 2}), Point.of(2, new float[] {3, 4})));
            db.createCollection("kept", CollectionConfig.of(2, Distance.EUCLID)).upsert(List.of(Point.of(1, new float[] {1, 1})));
            assertEquals(2, files(idMaps).size());
            assertTrue(db.dropCollection("gone"));
            assertFalse(db.dropCollection("gone"));
            assertEquals(List.of("kept"), db.collectionNames());
            assertThrows(NoSuchCollectionException.class, () -> db.collection("gone"));
            // a handle kept from before the drop answers as for a missing collection
            assertThrows(NoSuchCollectionException.class, c::count);
            assertThrows(NoSuchCollectionException.class, () -> c.upsert(List.of(Point.of(3, new float[] {1, 1}))));
            assertEquals(1, files(idMaps).size());
            VectorCollection again = db.createCollection("gone", CollectionConfig.of(2, Distance.EUCLID));
            assertEquals(0, again.count());
            assertTrue(again.get(PointId.of(1)).isEmpty());
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(0, db.collection("gone").count());
            assertEquals(1, db.collection("kept").count());
            db.dropCollection("gone");
            db.dropCollection("kept");
        }
        try (Options options = new Options()) {
            List<byte[]> families = RocksDB.listColumnFamilies(options, dir.resolve("rocksdb").toString());
            assertEquals(List.of("default", "points"), families.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList(),
                    "collections share one column family: none is made per collection");
        }
        try (RocksDB raw = RocksDB.openReadOnly(dir.resolve("rocksdb").toString())) {
            try (org.rocksdb.RocksIterator catalog = raw.newIterator()) {
                catalog.seekToFirst();
                for (; catalog.isValid(); catalog.next()) {
                    assertFalse(new String(catalog.key(), StandardCharsets.UTF_8).startsWith("collection/"),
                            "a dropped collection left its catalog entry");
                }
            }
        }
        assertEquals(0, LegacyStores.liveKeys(dir, "points"), "a dropped collection left records behind");
        assertEquals(List.of(), files(idMaps));
        assertEquals(List.of(), files(dir.resolve("hnsw")));
    }

    @Test
    void closedDatabaseRefusesCalls() {
        VectorDb db = VectorDb.open(dir);
        VectorCollection c = db.createCollection("c", CollectionConfig.of(2, Distance.DOT));
        db.close();
        db.close();
        assertThrows(IllegalStateException.class, db::collectionNames);
        assertThrows(IllegalStateException.class, () -> db.collection("c"));
        assertThrows(IllegalStateException.class, () -> db.createCollection("d", CollectionConfig.of(2, Distance.DOT)));
        assertThrows(IllegalStateException.class, c::count);
        assertThrows(IllegalStateException.class, () -> c.search(SearchRequest.of(new float[] {1, 0}, 1)));
        assertThrows(IllegalStateException.class, () -> c.upsert(List.of(Point.of(1, new float[] {1, 0}))));
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFailsClearly() {
        try (VectorDb db = VectorDb.open(dir)) {
            db.createCollection("c", CollectionConfig.of(2, Distance.DOT));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> VectorDb.open(dir));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            // the failed open left the first one working
            assertEquals(List.of("c"), db.collectionNames());
            db.collection("c").upsert(List.of(Point.of(1, new float[] {1, 2})));
            assertEquals(1, db.collection("c").count());
        }
    }

    @Test
    void damagedRocksDbFailsToOpenWithTheDirectoryInTheMessage() throws IOException {
        try (VectorDb db = VectorDb.open(dir)) {
            db.createCollection("c", CollectionConfig.of(2, Distance.DOT)).upsert(List.of(Point.of(1, new float[] {1, 2})));
        }
        Path current = dir.resolve("rocksdb").resolve("CURRENT");
        Files.writeString(current, "MANIFEST-999999\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> VectorDb.open(dir));
        assertTrue(e.getMessage().startsWith("cannot open the database in " + dir), e.getMessage());
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
