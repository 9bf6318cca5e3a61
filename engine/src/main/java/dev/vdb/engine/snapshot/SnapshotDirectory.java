package dev.vdb.engine.snapshot;

import dev.vdb.engine.NoSuchSnapshotException;
import dev.vdb.engine.SnapshotInfo;
import dev.vdb.engine.recovery.DerivedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where snapshot files live: {@code <data>/snapshots/} for full snapshots and
 * {@code <data>/snapshots/<collection>/} for a collection's. A snapshot is written to a
 * {@code .tmp} file, fsynced, its SHA-256 written beside it ({@code <name>.checksum}, as Qdrant
 * does), and only then renamed to {@code <name>.snapshot} and the directory fsynced: a process
 * killed while writing leaves a {@code .tmp} file that is never listed and is deleted on the next
 * open ({@link #deleteLeftovers}).
 *
 * <p>Thread-safe: naming and publishing a file synchronise on this object.
 */
public final class SnapshotDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotDirectory.class);
    private static final String SUFFIX = ".snapshot";
    private static final String CHECKSUM_SUFFIX = ".checksum";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}\\.snapshot");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss-SSS")
            .withZone(ZoneOffset.UTC);

    private final Path root;

    public SnapshotDirectory(Path root) {
        this.root = root;
    }

    /** The directory of full snapshots. */
    public Path full() {
        return root;
    }

    /** The directory of a collection's snapshots (whose name the caller has checked). */
    public Path of(String collection) {
        return root.resolve(collection);
    }

    /** A new temporary file in {@code dir} to write a snapshot (or an upload) to. */
    public Path newTemp(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the snapshot directory: " + e.getMessage(), e);
        }
        return dir.resolve("." + UUID.randomUUID() + TEMP_SUFFIX);
    }

    /**
     * Publishes a finished, fsynced temporary file as {@code <prefix>-<UTC time>.snapshot} with its
     * checksum beside it; returns its description.
     */
    public synchronized SnapshotInfo publish(Path temp, String prefix, String sha256) throws IOException {
        Path dir = temp.getParent();
        String stamp = STAMP.format(Instant.now());
        String name = prefix + "-" + stamp + SUFFIX;
        for (int n = 2; Files.exists(dir.resolve(name)); n++) {
            name = prefix + "-" + stamp + "-" + n + SUFFIX;
        }
        Path checksum = dir.resolve(name + CHECKSUM_SUFFIX);
        try (FileChannel out = FileChannel.open(checksum, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(sha256.getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Path file = dir.resolve(name);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        DerivedFiles.syncDirectory(dir);
        return describe(file);
    }

    /** The snapshots in {@code dir}, by name; none when it does not exist. */
    public List<SnapshotInfo> list(Path dir) {
        List<SnapshotInfo> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && NAME.matcher(file.getFileName().toString()).matches()) {
                    try {
                        found.add(describe(file));
                    } catch (NoSuchFileException deletedMeanwhile) {
                        // listed, then deleted by another call
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots: " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(SnapshotInfo::name));
        return found;
    }

    /** The file of snapshot {@code name} in {@code dir}; NoSuchSnapshotException when there is none. */
    public Path file(Path dir, String name, String where) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a snapshot name is a file name ending in .snapshot (letters, digits, "
                    + "'_', '-', '.'), got " + (name == null ? "nothing" : "'" + name + "'"));
        }
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchSnapshotException("snapshot '" + name + "' does not exist " + where);
        }
        return file;
    }

    /** Deletes snapshot {@code name} in {@code dir} and its checksum; false when it did not exist. */
    public synchronized boolean delete(Path dir, String name, String where) {
        Path file;
        try {
            file = file(dir, name, where);
        } catch (NoSuchSnapshotException e) {
            return false;
        }
        try {
            Files.deleteIfExists(dir.resolve(name + CHECKSUM_SUFFIX));
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete snapshot '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Deletes what killed writers and uploads left: temporary files, and checksums of no snapshot. */
    public void deleteLeftovers() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        deleteLeftovers(root);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                deleteLeftovers(dir);
            }
        }
    }

    private static void deleteLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                boolean orphanChecksum = name.endsWith(SUFFIX + CHECKSUM_SUFFIX)
                        && !Files.exists(dir.resolve(name.substring(0, name.length() - CHECKSUM_SUFFIX.length())));
                if (name.endsWith(TEMP_SUFFIX) || orphanChecksum) {
                    LOG.warn("deleting {}, left by a snapshot that did not finish", file);
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static SnapshotInfo describe(Path file) throws IOException {
        Path checksumFile = file.resolveSibling(file.getFileName() + CHECKSUM_SUFFIX);
        String checksum = Files.isRegularFile(checksumFile)
                ? Files.readString(checksumFile, StandardCharsets.US_ASCII).trim() : "";
        return new SnapshotInfo(file.getFileName().toString(), Files.getLastModifiedTime(file).toInstant(),
                Files.size(file), checksum.isEmpty() ? null : checksum);
    }
}
