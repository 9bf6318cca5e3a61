package dev.vdb.engine;

/**
 * A write refused because the disk is full (HTTP 507): not acknowledged, and later writes are
 * refused too until the database is reopened with space free; reads go on.
 */
public final class StorageFullException extends IllegalStateException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
