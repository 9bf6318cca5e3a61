package dev.vdb.engine;

/**
 * What a collection's last open (or reload) found and what its searches have cost: for
 * operators, metrics and tests. A snapshot; immutable.
 *
 * @param graphRecovery why the HNSW graph was replayed or rebuilt from RocksDB on open, or null
 *     when the saved graph matched RocksDB
 * @param idMapRecovery why the id-map file was rebuilt from RocksDB on open, or null when it was
 *     verified and reused
 * @param textIndexRecovery null when the BM25 index was loaded from its snapshot as saved, else
 *     whether the change log was replayed into it (after a crash) or it was rebuilt, and why
 * @param payloadIndexRecovery the same for the payload indexes' snapshot
 * @param vectorFileRecovery for a quantized collection, null when its memory-mapped full-precision
 *     vector file was reused as the last checkpoint or close left it (no vector read from
 *     RocksDB), else whether the vectors written after that were read from RocksDB into it
 *     ({@code "read N vectors ..."}) or it was rebuilt from RocksDB, and why; null for an
 *     unquantized collection (its vectors live on the heap, loaded from RocksDB)
 * @param codesRecovery for a quantized collection, null when every code was taken back from the
 *     codes file the last checkpoint or close saved, else what was encoded from the full-precision
 *     vectors and why ({@code "encoded N vectors written after ..."} or {@code "encoded every
 *     vector: ..."}); null for an unquantized collection
 * @param searchDistanceComputations distance computations all searches have made so far (graph
 *     traversals and exact scans; the difference around one search on one thread is its cost)
 * @param textDocuments points with a text (BM25 documents)
 * @param tenantGraphsBuilding whether the per-tenant graphs of the {@code is_tenant} index are
 *     still being built in the background after a load or the index's creation (their tenants'
 *     searches go to the filter planner meanwhile)
 */
public record CollectionDiagnostics(String graphRecovery, String idMapRecovery, String textIndexRecovery,
                                    String payloadIndexRecovery, String vectorFileRecovery, String codesRecovery,
                                    long searchDistanceComputations, int textDocuments,
                                    boolean tenantGraphsBuilding) {}
