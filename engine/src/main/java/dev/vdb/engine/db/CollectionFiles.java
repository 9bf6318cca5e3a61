package dev.vdb.engine.db;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a collection keeps its derived state outside RocksDB, named after its column family:
 * {@code <dir>/idmap/<cf>.idmap}, {@code <dir>/hnsw/<cf>.hnsw}, {@code <dir>/text/<cf>.bm25},
 * {@code <dir>/payload/<cf>.pidx}.
 *
 * @param idMap the Chronicle Map id → ordinal file (its first generation; later ones lie beside it)
 * @param graph the saved HNSW graph
 * @param text the BM25 index snapshot saved at the last clean close
 * @param payloadIndexes the payload-index snapshot saved at the last clean close
 */
public record CollectionFiles(Path idMap, Path graph, Path text, Path payloadIndexes) {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionFiles.class);
    private static final String ID_MAP = "idmap";
    private static final String GRAPH = "hnsw";
    private static final String TEXT = "text";
    private static final String PAYLOAD = "payload";
    private static final String[][] DIRECTORIES_AND_SUFFIXES = {
        {ID_MAP, ".idmap"}, {GRAPH, ".hnsw"}, {TEXT, ".bm25"}, {PAYLOAD, ".pidx"}};

    /** The files of the collection stored in column family {@code columnFamily} of the database in {@code directory}. */
    public static CollectionFiles of(Path directory, String columnFamily) {
        return new CollectionFiles(directory.resolve(ID_MAP).resolve(columnFamily + ".idmap"),
                directory.resolve(GRAPH).resolve(columnFamily + ".hnsw"),
                directory.resolve(TEXT).resolve(columnFamily + ".bm25"),
                directory.resolve(PAYLOAD).resolve(columnFamily + ".pidx"));
    }

    /** Creates the directories the derived files live in. */
    static void createDirectories(Path directory) throws IOException {
        for (String[] d : DIRECTORIES_AND_SUFFIXES) {
            Files.createDirectories(directory.resolve(d[0]));
        }
    }

    /** Deletes the files (the id map's first generation; an open map deletes its later ones). */
    void deleteAll() throws IOException {
        Files.deleteIfExists(idMap);
        Files.deleteIfExists(graph);
        Files.deleteIfExists(text);
        Files.deleteIfExists(payloadIndexes);
    }

    /**
     * Deletes derived files (and leftover temp files) of column families no collection uses; an
     * id map's {@code <cf>.idmap.<n>} files are its collection's own (later generations, which
     * its open keeps or deletes).
     */
    static void deleteOrphans(Path directory, Collection<String> columnFamilies) throws IOException {
        for (String[] d : DIRECTORIES_AND_SUFFIXES) {
            String suffix = d[1];
            boolean generations = d[0].equals(ID_MAP);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.resolve(d[0]))) {
                for (Path file : files) {
                    String fileName = file.getFileName().toString();
                    boolean used = columnFamilies.stream().anyMatch(cf -> fileName.equals(cf + suffix)
                            || generations && fileName.startsWith(cf + suffix + "."));
                    if (!used) {
                        LOG.warn("deleting {}, which belongs to no collection", file);
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }
}
