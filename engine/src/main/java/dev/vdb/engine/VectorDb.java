package dev.vdb.engine;

import dev.vdb.engine.db.RocksVectorDb;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An embedded vector database in one directory: named collections of points, stored in
 * RocksDB (the only source of truth) and indexed in memory.
 *
 * <p>Thread safety: every method may be called from any thread. {@link #close} waits for
 * nothing; callers stop using the database and its collections before closing it.
 *
 * <pre>{@code
 * try (VectorDb db = VectorDb.open(Path.of("data"))) {
 *     VectorCollection docs = db.createCollection("docs", CollectionConfig.of(384, Distance.COSINE));
 *     docs.upsert(List.of(Point.of(1, vector)));
 *     List<ScoredPoint> hits = docs.search(SearchRequest.of(query, 10));
 * }
 * }</pre>
 */
public interface VectorDb extends AutoCloseable {

    /** Opens (creating if needed) the database in {@code directory}, recovering derived state. */
    static VectorDb open(Path directory) {
        return open(directory, DbOptions.DEFAULT);
    }

    static VectorDb open(Path directory, DbOptions options) {
        return RocksVectorDb.open(directory, options);
    }

    /**
     * Creates a collection, or returns the existing one when it has the same config.
     *
     * @throws IllegalArgumentException for a name outside {@code [A-Za-z0-9_-]{1,64}}
     * @throws CollectionConflictException when it exists with another config
     */
    VectorCollection createCollection(String name, CollectionConfig config);

    /**
     * The collection of that name, or the one an alias of that name points at.
     *
     * @throws NoSuchCollectionException when there is none of that name
     */
    VectorCollection collection(String name);

    /**
     * Applies {@code changes} in order, as one atomic switch: every lookup sees the aliases from
     * before or from after, never a part; durable on return. An alias takes a collection's naming
     * rules and never a collection's name (nor does a collection take an alias's); dropping a
     * collection drops its aliases.
     *
     * @throws NoSuchCollectionException when an alias is pointed at no collection (nothing changes)
     * @throws NoSuchAliasException when a renamed alias does not exist (nothing changes)
     * @throws IllegalArgumentException for a bad name or an alias named as a collection (nothing changes)
     */
    void updateAliases(List<AliasChange> changes);

    /** Every alias and the collection it points at, sorted by alias. */
    Map<String, String> aliases();

    /** Names of all collections, sorted. */
    List<String> collectionNames();

    /** Drops a collection and removes its data; false when there was none. */
    boolean dropCollection(String name);

    /** Snapshots of collections and of the whole database, and recovery from them. */
    Snapshots snapshots();

    @Override
    void close();
}
