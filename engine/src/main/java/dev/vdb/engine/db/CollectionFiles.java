package dev.vdb.engine.db;

import java.nio.file.Path;

/**
 * Where a collection keeps its derived state outside RocksDB, named after its column family.
 *
 * @param idMap the Chronicle Map id → ordinal file (its first generation; later ones lie beside it)
 * @param graph the saved HNSW graph
 * @param text the BM25 index snapshot saved at the last clean close
 * @param payloadIndexes the payload-index snapshot saved at the last clean close
 */
public record CollectionFiles(Path idMap, Path graph, Path text, Path payloadIndexes) {}
