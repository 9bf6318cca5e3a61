package dev.vdb.server;

import dev.vdb.engine.VectorCollection;

/**
 * A collection's one vector as requests name it: its dimension and the name Qdrant's API gives it
 * ({@code ""}, unnamed, unless the collection was created with one named vector, e.g.
 * {@code {"vectors":{"dense":{"size":384,"distance":"Cosine"}}}}). A request may always give
 * the vector in its plain form (an array, no {@code using}); where it names a vector, the name
 * must be this one. Immutable.
 */
record CollectionVector(int dimension, String name) {

    static CollectionVector of(VectorCollection c) {
        return new CollectionVector(c.config().dimension(), c.config().vectorName());
    }

    /** Refuses a request that names another vector; {@code field} says where it did. */
    void requireName(String given, String field) {
        if (!given.equals(name)) {
            throw new IllegalArgumentException(field + " names vector " + Json.quote(given) + ", but points here have "
                    + describe());
        }
    }

    /** "one unnamed vector ("")" or "one vector, named 'dense'", for messages. */
    String describe() {
        return name.isEmpty() ? "one unnamed vector (\"\")" : "one vector, named " + Json.quote(name);
    }
}
