package dev.vdb.engine.db;

import java.nio.file.Path;

/**
 * Where a collection keeps its derived state outside RocksDB, named after its catalog entry's
 * {@link StoredCollection#fileStem stem}: {@code <dir>/idmap/<stem>.idmap},
 * {@code <dir>/hnsw/<stem>.hnsw}, {@code <dir>/text/<stem>.bm25}, {@code <dir>/payload/<stem>.pidx},
 * {@code <dir>/vectors/<stem>.f32}, {@code <dir>/vectors/<stem>.codes} ({@link DerivedFileLayout} creates the
 * directories and deletes the files).
 *
 * @param idMap the Chronicle Map id → ordinal file (its first generation; later ones lie beside it)
 * @param graph the saved HNSW graph
 * @param text the BM25 index snapshot saved at the last clean close
 * @param payloadIndexes the payload-index snapshot saved at the last clean close
 * @param vectors a quantized collection's memory-mapped full-precision vectors, kept across opens: its
 *     generation and durable vector count are recorded in RocksDB at each checkpoint and clean close, and
 *     the load reuses it for those vectors or rebuilds it (see {@code CollectionVectors})
 * @param codes a quantized collection's codes and quantizer, saved at a checkpoint or clean close
 *     when they changed, so that a load need not encode every vector again (see {@code SavedCodes})
 */
public record CollectionFiles(Path idMap, Path graph, Path text, Path payloadIndexes, Path vectors, Path codes) {

    static final String ID_MAP_SUFFIX = ".idmap";
    static final String GRAPH_SUFFIX = ".hnsw";
    static final String TEXT_SUFFIX = ".bm25";
    static final String PAYLOAD_SUFFIX = ".pidx";
    static final String VECTORS_SUFFIX = ".f32";
    static final String CODES_SUFFIX = ".codes";

    /** The files of the collection of stem {@code stem} in the database in {@code directory}. */
    public static CollectionFiles of(Path directory, String stem) {
        return new CollectionFiles(directory.resolve("idmap").resolve(stem + ID_MAP_SUFFIX),
                directory.resolve("hnsw").resolve(stem + GRAPH_SUFFIX),
                directory.resolve("text").resolve(stem + TEXT_SUFFIX),
                directory.resolve("payload").resolve(stem + PAYLOAD_SUFFIX),
                directory.resolve("vectors").resolve(stem + VECTORS_SUFFIX),
                directory.resolve("vectors").resolve(stem + CODES_SUFFIX));
    }
}
