package dev.vdb.engine;

/**
 * What a collection's last open (or reload) found and what its searches have cost: for
 * operators, metrics and tests. A snapshot; immutable.
 *
 * @param graphRecovery why the HNSW graph was replayed or rebuilt from RocksDB on open, or null
 *     when the saved graph matched RocksDB
 * @param idMapRecovery why the id-map file was rebuilt from RocksDB on open, or null when it was
 *     verified and reused
 * @param textIndexRecovery why the BM25 index was rebuilt from RocksDB on open, or null when its
 *     snapshot was loaded
 * @param searchDistanceComputations distance computations all searches have made so far (graph
 *     traversals and exact scans; the difference around one search on one thread is its cost)
 * @param textDocuments points with a text (BM25 documents)
 */
public record CollectionDiagnostics(String graphRecovery, String idMapRecovery, String textIndexRecovery,
                                    long searchDistanceComputations, int textDocuments) {}
