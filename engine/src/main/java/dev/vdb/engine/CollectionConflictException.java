package dev.vdb.engine;

/**
 * A collection of that name exists with another config, or a payload index exists on the field
 * with another schema (HTTP 409).
 */
public final class CollectionConflictException extends RuntimeException {
    public CollectionConflictException(String name, CollectionConfig existing, CollectionConfig requested) {
        super("collection '" + name + "' exists with config " + existing
                + ", which differs from the requested " + requested);
    }

    public CollectionConflictException(String message) {
        super(message);
    }
}
