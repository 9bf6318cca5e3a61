package dev.vdb.engine;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Snapshots of a live database, as Qdrant has them: a collection's snapshot holds its points and
 * its derived index files as of one moment, a full snapshot every collection as of one moment;
 * each is one file with a manifest and checksums (docs/FORMAT.md), kept under the data
 * directory in {@code snapshots/<collection>/} (collection snapshots) and {@code snapshots/}
 * (full snapshots). Creating one does not stop writes or searches.
 *
 * <p>Recovering replaces the collection (or, for a full snapshot, the set of collections)
 * atomically: a crash at any point leaves the old state or the new one. A file that is not a vdb
 * snapshot, is damaged or truncated, or fails the checksum given is refused with an
 * {@link InvalidSnapshotException} before anything changes.
 *
 * <p>Thread-safe. Snapshot names are file names ({@code [A-Za-z0-9_.-]+}); an unknown one is a
 * {@link NoSuchSnapshotException}.
 */
public interface Snapshots {

    /** Writes a snapshot of the collection as it is now; returns its description. */
    SnapshotInfo create(String collection);

    /** The snapshots of a collection (also of one that no longer exists), by name. */
    List<SnapshotInfo> list(String collection);

    /** The file of a collection snapshot, to read or copy. */
    Path file(String collection, String snapshot);

    /** Deletes a collection snapshot; false when there was none of that name. */
    boolean delete(String collection, String snapshot);

    /**
     * Replaces the collection {@code collection} (creating it when missing) by the one in the
     * collection snapshot {@code file}, which may come from another collection or database.
     *
     * @param sha256 the file's expected SHA-256 in hex, or null not to check it
     */
    void recover(String collection, Path file, String sha256);

    /** {@link #recover(String, Path, String)} from a stream, e.g. an upload (kept in a temporary file meanwhile). */
    void recover(String collection, InputStream snapshot, String sha256);

    /** Writes a snapshot of every collection as of one moment. */
    SnapshotInfo createFull();

    List<SnapshotInfo> listFull();

    Path fullFile(String snapshot);

    boolean deleteFull(String snapshot);

    /**
     * Replaces every collection by those of the full snapshot {@code file}: collections it does
     * not hold are dropped, in the same atomic step.
     */
    void recoverFull(Path file, String sha256);
}
