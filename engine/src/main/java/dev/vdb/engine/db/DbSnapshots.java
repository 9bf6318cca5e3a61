package dev.vdb.engine.db;

import dev.vdb.engine.InvalidSnapshotException;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.SnapshotInfo;
import dev.vdb.engine.Snapshots;
import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.engine.collection.SnapshotHold;
import dev.vdb.engine.snapshot.CollectionRestore;
import dev.vdb.engine.snapshot.CollectionSnapshot;
import dev.vdb.engine.snapshot.SnapshotDirectory;
import dev.vdb.engine.snapshot.SnapshotManifest;
import dev.vdb.engine.snapshot.SnapshotReader;
import dev.vdb.engine.snapshot.SnapshotWriter;
import dev.vdb.engine.storage.StoreSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@link Snapshots} of a {@link RocksVectorDb}. Creating one holds the collections still
 * ({@link SnapshotHold}: no close, drop or checkpoint meanwhile; writes and searches go on),
 * takes one RocksDB snapshot, copies the derived files, lets checkpoints go on, streams the
 * records as of the RocksDB snapshot, and publishes the file ({@link SnapshotDirectory}).
 * Recovering verifies the whole file first, fills fresh column families outside the catalog,
 * loads them, and only then swaps them in with one catalog batch ({@link RocksVectorDb#publish}).
 *
 * <p>Thread-safe; collections are held in name order, so concurrent snapshots and recoveries
 * cannot deadlock.
 */
final class DbSnapshots implements Snapshots {

    private static final String FULL_PREFIX = "full-snapshot";

    private final RocksVectorDb db;
    private final SnapshotDirectory directory;

    DbSnapshots(RocksVectorDb db, SnapshotDirectory directory) {
        this.db = db;
        this.directory = directory;
    }

    SnapshotDirectory directory() {
        return directory;
    }

    @Override
    public SnapshotInfo create(String collection) {
        RocksCollection c = (RocksCollection) db.collection(collection);
        return write(directory.of(c.name()), c.name(), SnapshotManifest.COLLECTION, List.of(c));
    }

    @Override
    public List<SnapshotInfo> list(String collection) {
        return directory.list(directory.of(named(collection)));
    }

    @Override
    public Path file(String collection, String snapshot) {
        String name = named(collection);
        return directory.file(directory.of(name), snapshot, "for collection '" + name + "'");
    }

    @Override
    public boolean delete(String collection, String snapshot) {
        String name = named(collection);
        return directory.delete(directory.of(name), snapshot, "for collection '" + name + "'");
    }

    /** The collection a name means: the one an alias of that name points at, else the name itself. */
    private String named(String collection) {
        RocksVectorDb.checkName(collection);
        return db.aliases().getOrDefault(collection, collection);
    }

    @Override
    public void recover(String collection, Path file, String sha256) {
        collection = named(collection); // through an alias: the collection it points at is replaced
        try (SnapshotReader snapshot = verified(file, sha256)) {
            SnapshotManifest manifest = snapshot.manifest();
            if (!manifest.kind().equals(SnapshotManifest.COLLECTION) || manifest.collections().size() != 1) {
                throw new InvalidSnapshotException("the file is a full snapshot of " + manifest.collections().size()
                        + " collections, not a collection snapshot: recover it as a full snapshot");
            }
            recover(snapshot, List.of(manifest.collections().get(0)), List.of(collection), null);
        }
    }

    @Override
    public void recover(String collection, InputStream upload, String sha256) {
        collection = named(collection);
        Path temp = directory.newTemp(directory.of(collection));
        try {
            try (upload) {
                Files.copy(upload, temp);
            }
            recover(collection, temp, sha256);
        } catch (IOException e) {
            throw new UncheckedIOException("receiving the snapshot failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public SnapshotInfo createFull() {
        return write(directory.full(), FULL_PREFIX, SnapshotManifest.FULL, db.openCollections());
    }

    @Override
    public List<SnapshotInfo> listFull() {
        return directory.list(directory.full());
    }

    @Override
    public Path fullFile(String snapshot) {
        return directory.file(directory.full(), snapshot, "among the full snapshots");
    }

    @Override
    public boolean deleteFull(String snapshot) {
        return directory.delete(directory.full(), snapshot, "among the full snapshots");
    }

    @Override
    public void recoverFull(Path file, String sha256) {
        try (SnapshotReader snapshot = verified(file, sha256)) {
            SnapshotManifest manifest = snapshot.manifest();
            if (!manifest.kind().equals(SnapshotManifest.FULL)) {
                throw new InvalidSnapshotException("the file is a snapshot of collection '"
                        + manifest.collections().get(0).name() + "', not a full snapshot: recover it into a collection");
            }
            List<String> names = manifest.collections().stream().map(SnapshotManifest.Entry::name).toList();
            names.forEach(RocksVectorDb::checkName);
            recover(snapshot, manifest.collections(), names, manifest.aliases());
        }
    }

    // ---- creating ------------------------------------------------------------------------------

    private SnapshotInfo write(Path target, String prefix, String kind, List<RocksCollection> collections) {
        Path temp = directory.newTemp(target);
        List<SnapshotHold> holds = new ArrayList<>();
        try {
            for (RocksCollection c : collections) {
                try {
                    holds.add(c.holdForSnapshot());
                } catch (NoSuchCollectionException droppedMeanwhile) {
                    if (kind.equals(SnapshotManifest.COLLECTION)) {
                        throw droppedMeanwhile;
                    }
                }
            }
            String sha256;
            try (SnapshotWriter out = new SnapshotWriter(temp); StoreSnapshot at = db.storeSnapshot()) {
                List<CollectionSnapshot> parts = new ArrayList<>();
                for (SnapshotHold hold : holds) {
                    CollectionSnapshot part = new CollectionSnapshot(hold, at);
                    part.writeDerivedFiles(out);
                    hold.releaseCheckpoints();
                    parts.add(part);
                }
                List<SnapshotManifest.Entry> entries = new ArrayList<>();
                for (CollectionSnapshot part : parts) {
                    entries.add(part.writeRecords(out));
                }
                sha256 = out.finish(new SnapshotManifest(kind, Instant.now(), entries, kind.equals(SnapshotManifest.FULL)
                        ? aliasesOf(holds) : Map.of()));
            }
            return directory.publish(temp, prefix, sha256);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the snapshot failed: " + e.getMessage(), e);
        } finally {
            for (int i = holds.size() - 1; i >= 0; i--) {
                holds.get(i).close();
            }
            deleteQuietly(temp);
        }
    }

    /** The aliases of the held collections, as they are now. */
    private Map<String, String> aliasesOf(List<SnapshotHold> holds) {
        Set<String> held = holds.stream().map(SnapshotHold::name).collect(Collectors.toSet());
        Map<String, String> out = new TreeMap<>(db.aliases());
        out.values().removeIf(collection -> !held.contains(collection));
        return out;
    }

    // ---- recovering ----------------------------------------------------------------------------

    /** The snapshot in {@code file}, its structure, every part's checksum and the given SHA-256 checked. */
    private static SnapshotReader verified(Path file, String sha256) {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        if (sha256 != null) {
            String actual = sha256Of(file);
            if (!actual.equals(sha256.toLowerCase(Locale.ROOT))) {
                throw new InvalidSnapshotException("the snapshot's SHA-256 is " + actual + ", the checksum given is "
                        + sha256);
            }
        }
        SnapshotReader snapshot = SnapshotReader.open(file);
        try {
            snapshot.verify();
            return snapshot;
        } catch (RuntimeException e) {
            snapshot.close();
            throw e;
        }
    }

    /**
     * Recovers {@code entries} as {@code names}; with {@code aliases} (a full snapshot's) every
     * other collection goes and the aliases become those, else the others and the aliases stay.
     */
    private void recover(SnapshotReader snapshot, List<SnapshotManifest.Entry> entries, List<String> names,
                         Map<String, String> aliases) {
        List<StagedCollection> staged = new ArrayList<>();
        try {
            for (int i = 0; i < entries.size(); i++) {
                SnapshotManifest.Entry entry = entries.get(i);
                StagedCollection s = db.stage(names.get(i), entry.config());
                staged.add(s);
                CollectionRestore.fill(snapshot, entry, s.store(), s.files());
                try {
                    db.load(s);
                } catch (RuntimeException e) {
                    throw new InvalidSnapshotException("collection '" + entry.name() + "' of the snapshot does not load: "
                            + e.getMessage(), e);
                }
            }
            db.publish(staged, aliases);
        } catch (RuntimeException | Error e) {
            for (StagedCollection s : staged) {
                s.discard(e);
            }
            throw e;
        }
    }

    private static String sha256Of(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        } catch (IOException e) {
            throw new InvalidSnapshotException("the snapshot file cannot be read: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover .tmp file is deleted on the next open
        }
    }
}
