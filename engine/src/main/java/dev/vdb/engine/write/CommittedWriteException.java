package dev.vdb.engine.write;

/**
 * A write reached RocksDB (it is durable and will be there after any reopen) but applying it in
 * memory failed, so the collection's memory no longer matches RocksDB: the collection must
 * reload from RocksDB before it answers again. Internal: the collection catches it, reloads and
 * reports the write as done (or, when the reload fails, the reload's failure).
 */
public final class CommittedWriteException extends RuntimeException {

    private final int written;

    /** @param written the points the write stored (what the call returns once the collection reloaded) */
    public CommittedWriteException(String collection, Throwable cause, int written) {
        super("collection '" + collection + "': the write is stored but applying it in memory failed: " + cause, cause);
        this.written = written;
    }

    public int written() {
        return written;
    }
}
