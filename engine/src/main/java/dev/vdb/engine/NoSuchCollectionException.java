package dev.vdb.engine;

/** The named collection does not exist (HTTP 404). */
public final class NoSuchCollectionException extends RuntimeException {
    public NoSuchCollectionException(String name) {
        super("collection '" + name + "' does not exist");
    }
}
