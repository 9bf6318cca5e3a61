package dev.vdb.engine;

/**
 * A file offered for recovery is not a vdb snapshot, is damaged or truncated, fails the checksum
 * given with it, or is of the wrong kind (HTTP 400). Nothing was changed.
 */
public final class InvalidSnapshotException extends IllegalArgumentException {
    public InvalidSnapshotException(String message) {
        super(message);
    }

    public InvalidSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
