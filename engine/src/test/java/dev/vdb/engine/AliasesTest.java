package dev.vdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aliases against a model of Qdrant's alias actions: lookups through them, atomic lists of
 * changes (a failing one changes nothing), the naming rules, a collection's drop dropping its
 * aliases, a full snapshot carrying them back, and a reopened database keeping every change
 * acknowledged.
 */
class AliasesTest {

    @TempDir
    Path dir;

    @Test
    void aliasesSwitchAtomicallyAndSurviveAReopen() {
        try (VectorDb db = VectorDb.open(dir)) {
            VectorCollection v1 = db.createCollection("v1", CollectionConfig.of(2, Distance.DOT));
            VectorCollection v2 = db.createCollection("v2", CollectionConfig.of(2, Distance.DOT));
            v1.upsert(List.of(Point.of(1, new float[] {1, 0})));
            v2.upsert(List.of(Point.of(2, new float[] {0, 1}), Point.of(3, new float[] {1, 1})));

            db.updateAliases(List.of(AliasChange.create("prod", "v1"), AliasChange.create("old", "v1")));
            assertEquals(Map.of("old", "v1", "prod", "v1"), db.aliases());
            assertSame(v1, db.collection("prod"));
            assertEquals(1, db.collection("prod").count());
            assertEquals(List.of("v1", "v2"), db.collectionNames(), "aliases are no collections");

            // the switch: delete and create in one list
            db.updateAliases(List.of(AliasChange.delete("prod"), AliasChange.create("prod", "v2")));
            assertSame(v2, db.collection("prod"));
            // creating an existing alias re-points it
            db.updateAliases(List.of(AliasChange.create("old", "v2")));
            assertEquals(Map.of("old", "v2", "prod", "v2"), db.aliases());

            // a failing change leaves every change of its list undone
            assertThrows(NoSuchCollectionException.class, () -> db.updateAliases(
                    List.of(AliasChange.create("staging", "v1"), AliasChange.create("x", "missing"))));
            assertThrows(NoSuchAliasException.class, () -> db.updateAliases(
                    List.of(AliasChange.delete("old"), AliasChange.rename("nope", "y"))));
            IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                    () -> db.updateAliases(List.of(AliasChange.create("staging", "v1"), AliasChange.create("v1", "v2"))));
            assertTrue(named.getMessage().contains("alias 'v1' is the name of a collection"), named.getMessage());
            assertThrows(IllegalArgumentException.class, () -> db.updateAliases(List.of(AliasChange.create("a b", "v1"))));
            assertEquals(Map.of("old", "v2", "prod", "v2"), db.aliases());

            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                    () -> db.createCollection("prod", CollectionConfig.of(2, Distance.DOT)));
            assertTrue(taken.getMessage().contains("'prod' is an alias of collection 'v2'"), taken.getMessage());

            db.updateAliases(List.of(AliasChange.rename("old", "previous"), AliasChange.delete("never-was")));
            assertEquals(Map.of("previous", "v2", "prod", "v2"), db.aliases());
            assertEquals(false, db.dropCollection("prod"), "a drop takes a collection's name, not an alias");
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(Map.of("previous", "v2", "prod", "v2"), db.aliases());
            assertEquals(2, db.collection("prod").count());
            db.updateAliases(List.of(AliasChange.create("first", "v1")));
            assertTrue(db.dropCollection("v2"));
            assertEquals(Map.of("first", "v1"), db.aliases(), "dropping v2 dropped its aliases");
            assertThrows(NoSuchCollectionException.class, () -> db.collection("prod"));
            db.createCollection("prod", CollectionConfig.of(2, Distance.DOT)); // the name is free again
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(Map.of("first", "v1"), db.aliases());
            assertEquals(List.of("prod", "v1"), db.collectionNames());
        }
    }

    @Test
    void aFullSnapshotCarriesItsAliasesAndRecoveringItRestoresThem() {
        try (VectorDb db = VectorDb.open(dir)) {
            db.createCollection("kept", CollectionConfig.of(2, Distance.DOT)).upsert(List.of(Point.of(1, new float[] {1, 0})));
            db.updateAliases(List.of(AliasChange.create("k", "kept")));
            SnapshotInfo full = db.snapshots().createFull();
            db.createCollection("later", CollectionConfig.of(2, Distance.DOT));
            db.updateAliases(List.of(AliasChange.delete("k"), AliasChange.create("k2", "kept"), AliasChange.create("l", "later")));
            // a collection's own snapshot carries no aliases, and its recovery keeps the database's;
            // through an alias, a snapshot is the collection's, and a recovery replaces the collection
            SnapshotInfo one = db.snapshots().create("k2");
            assertTrue(one.name().startsWith("kept-"), one.name());
            assertEquals(List.of(one), db.snapshots().list("kept"));
            assertEquals(List.of(one), db.snapshots().list("k2"));
            db.collection("kept").upsert(List.of(Point.of(2, new float[] {0, 1})));
            db.snapshots().recover("k2", db.snapshots().file("k2", one.name()), one.checksum());
            assertEquals(List.of("kept", "later"), db.collectionNames(), "no collection named as the alias");
            assertEquals(1, db.collection("kept").count(), "the point written after the snapshot is gone");
            assertEquals(Map.of("k2", "kept", "l", "later"), db.aliases());

            db.snapshots().recoverFull(db.snapshots().fullFile(full.name()), full.checksum());
            assertEquals(List.of("kept"), db.collectionNames());
            assertEquals(Map.of("k", "kept"), db.aliases(), "the aliases as the snapshot was taken");
            assertEquals(1, db.collection("k").count(), "the alias reaches the recovered collection");
        }
        try (VectorDb db = VectorDb.open(dir)) {
            assertEquals(Map.of("k", "kept"), db.aliases());
        }
    }
}
