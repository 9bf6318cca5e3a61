package dev.vdb.engine.db;

import dev.vdb.engine.AliasChange;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.CollectionConflictException;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.engine.idmap.IdMap;
import dev.vdb.engine.storage.KeySpace;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.Snapshots;
import dev.vdb.engine.snapshot.SnapshotDirectory;
import dev.vdb.engine.storage.RocksFailures;
import dev.vdb.engine.storage.StoreSnapshot;
import dev.vdb.engine.write.WriteFaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocksDB-backed {@link VectorDb}: one RocksDB in {@code <dir>/rocksdb} whose default column
 * family holds the catalog ({@code collection/<name>} → {@link StoredCollection} JSON, the
 * next collection number, and the aliases: {@link CollectionAliases}) and whose {@code points} column family holds every collection's
 * records, each under the 8-byte prefix of its number ({@link KeySpace}); a collection created by
 * an older version keeps its column family of its own. Derived files live beside it
 * ({@link DerivedFileLayout}), and snapshot files under {@code <dir>/snapshots}
 * ({@link DbSnapshots}). A collection costs a catalog entry until its first call loads it.
 *
 * <p>Creating a collection is one synced batch (its entry and the next number); dropping one is
 * one synced batch too (its entry deleted and a range delete over its prefix), so a crash leaves
 * a collection whole or gone, never in part.
 *
 * <p>Thread safety: creating, dropping and closing serialise on a catalog lock; lookups read a
 * concurrent map; point operations lock only their own collection (see {@link RocksCollection}).
 * With {@link DbOptions#unloadAfterIdle} set, one daemon thread ({@link IdleUnloader}) unloads
 * idle collections. Open repairs what a crash can leave behind: a column family of no
 * collection (an older version's create or drop, or a recovery replacing one, cut short) is
 * dropped, records a snapshot recovery cut short was filling are deleted, and derived files of
 * no collection are deleted.
 */
public final class RocksVectorDb implements VectorDb {

    private static final Logger LOG = LoggerFactory.getLogger(RocksVectorDb.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String CATALOG_PREFIX = StoredCollection.CATALOG_PREFIX;
    private static final byte[] NEXT_NUMBER_KEY = StoredCollection.NEXT_NUMBER_KEY.getBytes(StandardCharsets.UTF_8);
    private static final byte[] POINTS_CF = StoredCollection.POINTS_COLUMN_FAMILY.getBytes(StandardCharsets.UTF_8);
    private static final String REPLACED = "replaced by a snapshot recovery; look it up again";

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final DerivedFileLayout derivedFiles;
    private final DbSnapshots snapshots;
    private final DbOptions options;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    /** Catalog changes are rare and always synced, whatever {@link DbOptions#syncWrites} says. */
    private final WriteOptions catalogWriteOptions = new WriteOptions().setSync(true);
    private final RocksDB db;
    private final ColumnFamilyHandle defaultCf;
    private final ColumnFamilyHandle pointsCf;
    private final Map<String, RocksCollection> collections = new ConcurrentHashMap<>();
    private final Map<String, StoredCollection> entries = new ConcurrentHashMap<>();
    private final Object catalogLock = new Object();
    private final CollectionAliases aliases = new CollectionAliases();
    private final WriteFaults faults;
    /** The number the next created collection gets; guarded by the catalog lock. */
    private long nextNumber;
    private IdleUnloader unloader;
    private volatile boolean closed;

    private RocksVectorDb(Path directory, DbOptions options, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
                          RocksDB db, ColumnFamilyHandle defaultCf, ColumnFamilyHandle pointsCf, WriteFaults faults)
            throws IOException {
        this.faults = faults;
        this.directory = directory;
        this.derivedFiles = new DerivedFileLayout(directory);
        this.snapshots = new DbSnapshots(this, new SnapshotDirectory(directory.resolve("snapshots")));
        this.options = options;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.writeOptions = new WriteOptions().setSync(options.syncWrites());
        this.db = db;
        this.defaultCf = defaultCf;
        this.pointsCf = pointsCf;
    }

    public static VectorDb open(Path directory, DbOptions options) {
        return open(directory, options, WriteFaults.NONE);
    }

    /** Opens the database with failures injected into its write paths (tests only). */
    public static RocksVectorDb open(Path directory, DbOptions options, WriteFaults faults) {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        Path rocksDir = directory.resolve("rocksdb");
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        RocksVectorDb vdb = null;
        try {
            Files.createDirectories(rocksDir);
            List<byte[]> cfNames;
            try (Options listOptions = new Options()) {
                cfNames = RocksDB.listColumnFamilies(listOptions, rocksDir.toString());
            }
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
            boolean pointsFamilyExisted = cfNames.stream().anyMatch(n -> Arrays.equals(n, POINTS_CF));
            if (pointsFamilyExisted) {
                descriptors.add(new ColumnFamilyDescriptor(POINTS_CF, cfOptions));
            }
            for (byte[] cfName : cfNames) {
                if (!Arrays.equals(cfName, RocksDB.DEFAULT_COLUMN_FAMILY) && !Arrays.equals(cfName, POINTS_CF)) {
                    descriptors.add(new ColumnFamilyDescriptor(cfName, cfOptions));
                }
            }
            // exactly the families RocksDB lists: one it lacks is made only after the open succeeded
            checkManifestKnowsTheData(rocksDir, descriptors);
            db = RocksDB.open(dbOptions, rocksDir.toString(), descriptors, handles);
            if (!pointsFamilyExisted) {
                handles.add(1, db.createColumnFamily(new ColumnFamilyDescriptor(POINTS_CF, cfOptions)));
            }
            vdb = new RocksVectorDb(directory, options, dbOptions, cfOptions, db, handles.get(0), handles.get(1), faults);
            vdb.loadCatalog(handles.subList(2, handles.size()), pointsFamilyExisted);
            IdMap.warmUpInBackground(); // collections load on their first call: give it a head start
            if (!options.unloadAfterIdle().isZero()) {
                vdb.unloader = IdleUnloader.start(options.unloadAfterIdle(), vdb.collections.values());
            }
            return vdb;
        } catch (RocksDBException | IOException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (vdb != null) {
                vdb.writeOptions.close();
                vdb.catalogWriteOptions.close();
            }
            if (db != null) {
                db.close();
            }
            dbOptions.close();
            cfOptions.close();
            if (e instanceof RuntimeException re) {
                throw new IllegalStateException("cannot open the database in " + directory + ": " + re.getMessage(), re);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open the database in " + directory + ": " + io.getMessage(), io);
            }
            throw new IllegalStateException("cannot open the database in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a directory holding SST files of which RocksDB's MANIFEST knows none: a MANIFEST cut
     * short can make RocksDB start afresh, and its open would delete the data as obsolete. Checked
     * with a read-only open, which deletes nothing.
     */
    private static void checkManifestKnowsTheData(Path rocksDir, List<ColumnFamilyDescriptor> descriptors)
            throws IOException, RocksDBException {
        long sstFiles;
        try (java.util.stream.Stream<Path> files = Files.list(rocksDir)) {
            sstFiles = files.filter(f -> f.getFileName().toString().endsWith(".sst")).count();
        }
        if (sstFiles == 0) {
            return;
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions readOnly = new DBOptions();
             RocksDB db = RocksDB.openReadOnly(readOnly, rocksDir.toString(), descriptors, handles)) {
            boolean knowsNone = db.getLiveFilesMetaData().isEmpty();
            handles.forEach(ColumnFamilyHandle::close);
            if (knowsNone) {
                throw new IllegalStateException("RocksDB's MANIFEST names no data file although the directory holds "
                        + sstFiles + " SST files: it is damaged");
            }
        }
    }

    /** Reads the catalog; each collection loads on its first call. */
    private void loadCatalog(List<ColumnFamilyHandle> ownFamilies, boolean pointsFamilyExisted)
            throws RocksDBException, IOException {
        Map<String, ColumnFamilyHandle> byName = new HashMap<>();
        for (ColumnFamilyHandle h : ownFamilies) {
            byName.put(new String(h.getName(), StandardCharsets.UTF_8), h);
        }
        byte[] next = db.get(defaultCf, NEXT_NUMBER_KEY);
        nextNumber = next == null ? 0 : ByteBuffer.wrap(next).getLong();
        byte[] prefix = CATALOG_PREFIX.getBytes(StandardCharsets.UTF_8);
        try (RocksIterator it = db.newIterator(defaultCf)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                StoredCollection entry = StoredCollection.decode(it.value());
                KeySpace space;
                if (entry.columnFamily() == null) {
                    if (!pointsFamilyExisted) {
                        throw new IllegalStateException("collection '" + entry.name() + "' is in the catalog but RocksDB has"
                                + " no 'points' column family: the RocksDB data is damaged");
                    }
                    space = KeySpace.shared(pointsCf, entry.number());
                } else {
                    ColumnFamilyHandle cf = byName.remove(entry.columnFamily());
                    if (cf == null) {
                        throw new IllegalStateException("collection '" + entry.name() + "' has no column family '"
                                + entry.columnFamily() + "': the RocksDB data is damaged");
                    }
                    space = KeySpace.ownColumnFamily(cf);
                }
                entries.put(entry.name(), entry);
                collections.put(entry.name(), collectionOf(entry, space));
            }
            it.status();
        }
        for (ColumnFamilyHandle orphan : byName.values()) {
            LOG.warn("dropping column family '{}' of no collection (a create or drop was cut short)",
                    new String(orphan.getName(), StandardCharsets.UTF_8));
            db.dropColumnFamily(orphan);
            orphan.close();
        }
        aliases.load(db, defaultCf);
        deleteOrphanRecords();
        derivedFiles.deleteOrphans(entries.values());
        snapshots.directory().deleteLeftovers();
    }

    /**
     * Deletes the records of numbers a recovery was filling when it was cut short (their staged
     * marks outlived it): no catalog entry names them.
     */
    private void deleteOrphanRecords() throws RocksDBException {
        byte[] prefix = StoredCollection.STAGED_PREFIX.getBytes(StandardCharsets.UTF_8);
        try (WriteBatch batch = new WriteBatch(); RocksIterator it = db.newIterator(defaultCf)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                long number = Long.parseLong(new String(it.key(), prefix.length, it.key().length - prefix.length,
                        StandardCharsets.UTF_8));
                LOG.warn("deleting the records of collection number {} ('{}'), which a snapshot recovery cut short was"
                        + " filling", number, new String(it.value(), StandardCharsets.UTF_8));
                batch.deleteRange(pointsCf, KeySpace.prefixOf(number), KeySpace.prefixOf(number + 1));
                batch.delete(defaultCf, it.key());
            }
            it.status();
            if (batch.count() > 0) {
                db.write(catalogWriteOptions, batch);
            }
        }
    }

    private RocksCollection collectionOf(StoredCollection entry, KeySpace space) {
        return RocksCollection.unloaded(entry.name(), entry.config(), new PointStore(entry.name(), db, space, writeOptions),
                options, derivedFiles.filesOf(entry.fileStem()), faults, this::recordConfig);
    }

    /** Rewrites the catalog entry of {@code name} with {@code config} (synced): a quantization update. */
    private void recordConfig(String name, CollectionConfig config) {
        synchronized (catalogLock) {
            ensureOpen();
            StoredCollection entry = entries.get(name);
            if (entry == null) {
                throw new NoSuchCollectionException(name);
            }
            StoredCollection updated = new StoredCollection(entry.format(), name, entry.number(), entry.columnFamily(), config);
            try {
                db.put(defaultCf, catalogWriteOptions, catalogKey(name), updated.encode());
            } catch (RocksDBException e) {
                throw RocksFailures.of("updating the config of collection '" + name + "'", e);
            }
            entries.put(name, updated);
        }
    }

    @Override
    public VectorCollection createCollection(String name, CollectionConfig config) {
        checkName(name);
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        synchronized (catalogLock) {
            ensureOpen();
            if (aliases.target(name) != null) {
                throw new IllegalArgumentException("'" + name + "' is an alias of collection '" + aliases.target(name)
                        + "': delete or rename the alias first");
            }
            RocksCollection existing = collections.get(name);
            if (existing != null) {
                if (!existing.config().equals(config)) {
                    throw new CollectionConflictException(name, existing.config(), config);
                }
                return existing;
            }
            StoredCollection entry = StoredCollection.of(name, nextNumber, config);
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(defaultCf, catalogKey(name), entry.encode());
                batch.put(defaultCf, NEXT_NUMBER_KEY, KeySpace.prefixOf(nextNumber + 1));
                db.write(catalogWriteOptions, batch);
            } catch (RocksDBException e) {
                throw RocksFailures.of("creating collection '" + name + "'", e);
            }
            nextNumber++;
            RocksCollection c = collectionOf(entry, KeySpace.shared(pointsCf, entry.number()));
            entries.put(name, entry);
            collections.put(name, c);
            return c;
        }
    }

    @Override
    public VectorCollection collection(String name) {
        checkName(name);
        ensureOpen();
        RocksCollection c = collections.get(name);
        if (c == null) {
            String target = aliases.target(name);
            c = target == null ? null : collections.get(target);
        }
        if (c == null) {
            throw new NoSuchCollectionException(name);
        }
        return c;
    }

    @Override
    public void updateAliases(List<AliasChange> changes) {
        if (changes == null) {
            throw new IllegalArgumentException("changes must not be null");
        }
        synchronized (catalogLock) {
            ensureOpen();
            Map<String, String> next = aliases.after(changes, collections::containsKey, n -> NAME.matcher(n).matches());
            try (WriteBatch batch = new WriteBatch()) {
                aliases.write(batch, defaultCf, next);
                db.write(catalogWriteOptions, batch);
            } catch (RocksDBException e) {
                throw RocksFailures.of("changing aliases", e);
            }
            aliases.publish(next);
        }
    }

    @Override
    public Map<String, String> aliases() {
        ensureOpen();
        return aliases.current();
    }

    @Override
    public List<String> collectionNames() {
        ensureOpen();
        return collections.keySet().stream().sorted().toList();
    }

    @Override
    public boolean dropCollection(String name) {
        checkName(name);
        synchronized (catalogLock) {
            ensureOpen();
            RocksCollection c = collections.remove(name);
            if (c == null) {
                return false;
            }
            StoredCollection entry = entries.remove(name);
            c.drop();
            KeySpace space = c.store().keySpace();
            Map<String, String> remainingAliases = aliases.without(List.of(name));
            try {
                try (WriteBatch batch = new WriteBatch()) {
                    batch.delete(defaultCf, catalogKey(name));
                    aliases.write(batch, defaultCf, remainingAliases);
                    if (!space.ownsColumnFamily()) {
                        batch.deleteRange(pointsCf, space.start(), space.end());
                    }
                    db.write(catalogWriteOptions, batch);
                }
                aliases.publish(remainingAliases);
                if (space.ownsColumnFamily()) {
                    db.dropColumnFamily(space.columnFamily());
                    space.columnFamily().close();
                }
            } catch (RocksDBException e) {
                throw RocksFailures.of("dropping collection '" + name + "'", e);
            }
            deleteDerivedFiles(entry, "dropped");
            return true;
        }
    }

    @Override
    public void close() {
        synchronized (catalogLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (unloader != null) {
                unloader.close();
            }
            for (RocksCollection c : collections.values()) {
                c.close("the database was closed");
                if (c.store().keySpace().ownsColumnFamily()) {
                    c.store().keySpace().columnFamily().close();
                }
            }
            collections.clear();
            pointsCf.close();
            defaultCf.close();
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                LOG.warn("syncing the write-ahead log on close failed", e);
            }
            db.close();
            writeOptions.close();
            catalogWriteOptions.close();
            dbOptions.close();
            cfOptions.close();
        }
    }

    @Override
    public String toString() {
        return "VectorDb[" + directory + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the database in " + directory + " is closed");
        }
    }

    @Override
    public Snapshots snapshots() {
        return snapshots;
    }

    // ---- for snapshots and their recovery (DbSnapshots) ---------------------------------------

    /** The open collections, by name (the order in which a full snapshot holds them). */
    List<RocksCollection> openCollections() {
        ensureOpen();
        return collections.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    /** The whole store as it is now (the caller closes it). */
    StoreSnapshot storeSnapshot() {
        ensureOpen();
        return StoreSnapshot.take(db);
    }

    /**
     * Takes a fresh number for a collection to recover, outside the catalog
     * ({@link StagedCollection}): the next number and a staged mark for it are stored (synced)
     * before any record is written under it, so the number is never handed out again and the
     * next open deletes what a crash left under it.
     */
    StagedCollection stage(String name, CollectionConfig config) {
        checkName(name);
        synchronized (catalogLock) {
            ensureOpen();
            long number = nextNumber;
            byte[] mark = StagedCollection.markOf(number);
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(defaultCf, NEXT_NUMBER_KEY, KeySpace.prefixOf(number + 1));
                batch.put(defaultCf, mark, name.getBytes(StandardCharsets.UTF_8));
                db.write(catalogWriteOptions, batch);
            } catch (RocksDBException e) {
                throw RocksFailures.of("recovering collection '" + name + "'", e);
            }
            nextNumber++;
            return new StagedCollection(db, defaultCf, StoredCollection.of(name, number, config),
                    KeySpace.shared(pointsCf, number), writeOptions, derivedFiles);
        }
    }

    /** Loads a filled staged collection, which is not yet visible. */
    void load(StagedCollection staged) {
        staged.load(options, faults, this::recordConfig);
    }

    /**
     * Publishes loaded staged collections in one synced catalog batch, replacing the collections
     * of their names (with {@code replaceAll}, a full snapshot's aliases, dropping every other
     * collection too and making those the aliases; null keeps the others and the aliases): the
     * old ones are stopped first (their calls finish, new calls wait). The same batch
     * range-deletes the old ones' records in the shared column family; an old collection of its
     * own column family has it dropped after. A crash before the batch keeps the old state,
     * after it the new one.
     */
    void publish(List<StagedCollection> staged, Map<String, String> replaceAll) {
        synchronized (catalogLock) {
            ensureOpen();
            List<String> names = staged.stream().map(StagedCollection::name).toList();
            List<RocksCollection> old = collections.entrySet().stream()
                    .filter(e -> replaceAll != null || names.contains(e.getKey()))
                    .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
            Map<String, String> remainingAliases = replaceAll != null ? replaceAll : aliases.current();
            replaceEach(old, 0, () -> {
                try (WriteBatch batch = new WriteBatch()) {
                    aliases.write(batch, defaultCf, remainingAliases);
                    for (RocksCollection c : old) {
                        batch.delete(defaultCf, catalogKey(c.name()));
                        KeySpace space = c.store().keySpace();
                        if (!space.ownsColumnFamily()) {
                            batch.deleteRange(pointsCf, space.start(), space.end());
                        }
                    }
                    for (StagedCollection s : staged) {
                        batch.put(defaultCf, catalogKey(s.name()), s.catalogEntry().encode());
                        batch.delete(defaultCf, StagedCollection.markOf(s.catalogEntry().number()));
                    }
                    db.write(catalogWriteOptions, batch);
                } catch (RocksDBException e) {
                    throw RocksFailures.of("recovering " + names, e);
                }
                old.forEach(c -> collections.remove(c.name()));
                staged.forEach(s -> collections.put(s.name(), s.opened()));
                aliases.publish(remainingAliases);
            });
            for (RocksCollection c : old) {
                StoredCollection entry = entries.remove(c.name());
                KeySpace space = c.store().keySpace();
                if (space.ownsColumnFamily()) {
                    try {
                        db.dropColumnFamily(space.columnFamily());
                    } catch (RocksDBException e) {
                        LOG.warn("dropping the replaced column family of '{}' failed; the next open drops it", c.name(), e);
                    } finally {
                        space.columnFamily().close();
                    }
                }
                deleteDerivedFiles(entry, "replaced");
            }
            staged.forEach(s -> entries.put(s.name(), s.catalogEntry()));
        }
    }

    private void deleteDerivedFiles(StoredCollection entry, String why) {
        try {
            derivedFiles.delete(entry.fileStem());
        } catch (IOException e) {
            LOG.warn("collection '{}': deleting the derived files of the {} collection failed; the next open does",
                    entry.name(), why, e);
        }
    }

    /** Runs {@code swap} with every collection of {@code old} from {@code i} on stopped (nested, in name order). */
    private static void replaceEach(List<RocksCollection> old, int i, Runnable swap) {
        if (i == old.size()) {
            swap.run();
        } else {
            old.get(i).replace(REPLACED, () -> replaceEach(old, i + 1, swap));
        }
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("collection name must match [A-Za-z0-9_-]{1,64}, got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
    }

    private static byte[] catalogKey(String name) {
        return (CATALOG_PREFIX + name).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
