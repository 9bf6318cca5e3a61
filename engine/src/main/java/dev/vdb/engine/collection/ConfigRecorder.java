package dev.vdb.engine.collection;

import dev.vdb.engine.CollectionConfig;

/** Stores a collection's changed config durably (its catalog entry) before the change takes effect. */
@FunctionalInterface
public interface ConfigRecorder {

    /** Records {@code config} as the config of {@code collection}; synced on return. */
    void record(String collection, CollectionConfig config);
}
