package dev.vdb.engine.write;

/**
 * The steps of a write, in order, where {@link WriteFaults} can inject a failure. Steps before
 * {@link #COMMIT} run before anything is stored; from {@link #PUBLISH} on, the write is durable
 * in RocksDB and a failure makes the collection reload its memory from RocksDB.
 */
public enum WriteStep {
    /** Ordinals reserved, memory allocated, new vectors stored in unpublished slots. */
    PREPARE,
    /** The id map grown if the batch would not fit it. */
    GROW_ID_MAP,
    /** Just before the RocksDB batch is written. */
    COMMIT,
    /** The batch is durable; the live set, payload and text indexes are about to change. */
    PUBLISH,
    /** Published; the id map is about to change. */
    ID_MAP,
    /** Everything but the graph is done; its links are about to change. */
    GRAPH,
    /**
     * Not a step of a client's write: after an open, the background thread that links the points
     * the saved graph lacked is about to link a chunk of them ({@code BacklogLinker}).
     */
    LINK_BACKLOG
}
