package dev.vdb.engine;

/**
 * Memory and disk a collection uses, estimated from the sizes of its structures (not a heap dump).
 *
 * @param heapBytes Java heap held by the loaded collection's vectors or codes, graph and
 *     ordinal-to-id table (the part that grows with the points; fixed costs not counted)
 * @param offHeapMappedBytes bytes memory-mapped from derived files (full-precision vectors)
 * @param diskBytes bytes of the collection's derived files on disk (RocksDB's share not counted)
 */
public record CollectionMemory(long heapBytes, long offHeapMappedBytes, long diskBytes) {}
