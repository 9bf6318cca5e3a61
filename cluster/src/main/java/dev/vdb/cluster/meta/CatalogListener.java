package dev.vdb.cluster.meta;

import dev.vdb.cluster.CollectionSpec;

/** What a node does when the catalog changes: host or drop the shards it holds. Called on the catalog's apply thread. */
public interface CatalogListener {

    /** A collection was created (or is found created when a snapshot is loaded); idempotent. */
    void created(CollectionSpec spec);

    /** A collection was dropped; idempotent. */
    void dropped(CollectionSpec spec);
}
