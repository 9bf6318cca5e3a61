package dev.vdb.engine.storage;

import dev.vdb.engine.StorageFullException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Turns RocksDB's failures into the exceptions callers see; a full disk gets its own. */
public final class RocksFailures {

    private RocksFailures() {}

    /**
     * The exception for a RocksDB failure while doing {@code what}: a {@link StorageFullException}
     * when the disk is full, else an {@link IllegalStateException}; both carry RocksDB's message.
     */
    public static IllegalStateException of(String what, RocksDBException e) {
        String message = what + " failed in RocksDB: " + e.getMessage();
        return isNoSpace(e) ? new StorageFullException(message + NO_SPACE_HINT, e) : new IllegalStateException(message, e);
    }

    /**
     * After a failed write-ahead-log append RocksDB keeps refusing writes (the error is sticky and
     * RocksJava has no {@code resume()}); reads go on, and a reopen recovers every acknowledged
     * write. The refused write is not visible; like a write cut short by a crash, it is not
     * acknowledged, so a reopen may or may not find it.
     */
    private static final String NO_SPACE_HINT = " (the disk is full: this write is not acknowledged and later writes"
            + " are refused too; reads still work; free space and reopen the database to write again)";

    private static boolean isNoSpace(RocksDBException e) {
        return (e.getStatus() != null && e.getStatus().getSubCode() == Status.SubCode.NoSpace)
                || String.valueOf(e.getMessage()).contains("No space left on device");
    }
}
