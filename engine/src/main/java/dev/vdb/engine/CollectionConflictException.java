package dev.vdb.engine;

/** A collection of that name exists with another config (HTTP 409). */
public final class CollectionConflictException extends RuntimeException {
    public CollectionConflictException(String name, CollectionConfig existing, CollectionConfig requested) {
        super("collection '" + name + "' exists with config " + existing
                + ", which differs from the requested " + requested);
    }
}
