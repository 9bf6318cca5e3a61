package dev.vdb.engine;

/** The named snapshot file does not exist (HTTP 404). */
public final class NoSuchSnapshotException extends RuntimeException {
    public NoSuchSnapshotException(String message) {
        super(message);
    }
}
