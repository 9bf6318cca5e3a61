package dev.vdb.engine.db;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the derived files of a database's collections live: one directory per kind
 * ({@code idmap/}, {@code hnsw/}, {@code text/}, {@code payload/}), each file named after its
 * collection's {@link StoredCollection#fileStem stem}. Deletes the files of a dropped collection,
 * and on open those of no collection (left by a drop or create cut short).
 *
 * <p>Thread-safe: stateless beyond its paths.
 */
final class DerivedFileLayout {

    private static final Logger LOG = LoggerFactory.getLogger(DerivedFileLayout.class);
    private static final String ID_MAP_SUFFIX = CollectionFiles.ID_MAP_SUFFIX;
    private static final String GRAPH_SUFFIX = CollectionFiles.GRAPH_SUFFIX;
    private static final String TEXT_SUFFIX = CollectionFiles.TEXT_SUFFIX;
    private static final String PAYLOAD_SUFFIX = CollectionFiles.PAYLOAD_SUFFIX;
    private static final String VECTORS_SUFFIX = CollectionFiles.VECTORS_SUFFIX;
    private static final String CODES_SUFFIX = CollectionFiles.CODES_SUFFIX;

    private final Path directory;
    private final Path idMapDir;
    private final Path graphDir;
    private final Path textDir;
    private final Path payloadDir;
    private final Path vectorsDir;

    DerivedFileLayout(Path directory) throws IOException {
        this.directory = directory;
        idMapDir = Files.createDirectories(directory.resolve("idmap"));
        graphDir = Files.createDirectories(directory.resolve("hnsw"));
        textDir = Files.createDirectories(directory.resolve("text"));
        payloadDir = Files.createDirectories(directory.resolve("payload"));
        vectorsDir = Files.createDirectories(directory.resolve("vectors"));
    }

    CollectionFiles filesOf(String stem) {
        return CollectionFiles.of(directory, stem);
    }

    /** Deletes every derived file of the collection of {@code stem}, the id map's later generations too. */
    void delete(String stem) throws IOException {
        CollectionFiles files = filesOf(stem);
        deleteMatching(idMapDir, name -> name.equals(stem + ID_MAP_SUFFIX) || name.startsWith(stem + ID_MAP_SUFFIX + "."));
        Files.deleteIfExists(files.graph());
        Files.deleteIfExists(files.text());
        Files.deleteIfExists(files.payloadIndexes());
        Files.deleteIfExists(files.vectors());
        Files.deleteIfExists(files.codes());
    }

    /**
     * Deletes derived files (and leftover temp files) of no collection in {@code entries}; a
     * collection's {@code <stem>.idmap.<n>} files are its own (the id map's later generations,
     * which its own load keeps or deletes).
     */
    void deleteOrphans(Collection<StoredCollection> entries) throws IOException {
        Set<String> stems = entries.stream().map(StoredCollection::fileStem).collect(Collectors.toSet());
        deleteMatching(idMapDir, name -> !stems.contains(stemOf(name, ID_MAP_SUFFIX, true)), true);
        deleteMatching(graphDir, name -> !stems.contains(stemOf(name, GRAPH_SUFFIX, false)), true);
        deleteMatching(textDir, name -> !stems.contains(stemOf(name, TEXT_SUFFIX, false)), true);
        deleteMatching(payloadDir, name -> !stems.contains(stemOf(name, PAYLOAD_SUFFIX, false)), true);
        deleteMatching(vectorsDir, name -> !stems.contains(stemOf(name, VECTORS_SUFFIX, false))
                && !stems.contains(stemOf(name, CODES_SUFFIX, false)), true);
    }

    /** The stem of a derived file's name, or null when the name is not {@code <stem><suffix>} (or a generation). */
    private static String stemOf(String fileName, String suffix, boolean generations) {
        if (fileName.endsWith(suffix)) {
            return fileName.substring(0, fileName.length() - suffix.length());
        }
        int at = fileName.lastIndexOf(suffix + ".");
        if (generations && at > 0 && fileName.substring(at + suffix.length() + 1).chars().allMatch(Character::isDigit)) {
            return fileName.substring(0, at);
        }
        return null;
    }

    private interface NameTest {
        boolean matches(String fileName);
    }

    private static void deleteMatching(Path dir, NameTest test) throws IOException {
        deleteMatching(dir, test, false);
    }

    private static void deleteMatching(Path dir, NameTest test, boolean orphans) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (test.matches(file.getFileName().toString())) {
                    if (orphans) {
                        LOG.warn("deleting {}, which belongs to no collection", file);
                    }
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
