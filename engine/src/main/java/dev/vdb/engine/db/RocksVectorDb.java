package dev.vdb.engine.db;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.CollectionConflictException;
import dev.vdb.engine.DbOptions;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.collection.RocksCollection;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.storage.RocksFailures;
import dev.vdb.engine.write.WriteFaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocksDB-backed {@link VectorDb}: one RocksDB in {@code <dir>/rocksdb} whose default column
 * family holds the catalog ({@code collection/<name>} → {@link StoredCollection} JSON) and one
 * column family per collection; derived files live beside it: id maps in {@code <dir>/idmap},
 * saved HNSW graphs in {@code <dir>/hnsw}, BM25 index snapshots in {@code <dir>/text}.
 *
 * <p>Thread safety: creating, dropping and closing serialise on a catalog lock; lookups read a
 * concurrent map; point operations lock only their own collection (see {@link RocksCollection}).
 * Open repairs what a crash can leave behind: a column family without a catalog entry (a create
 * or drop cut short) is dropped, and id-map files of no collection are deleted.
 */
public final class RocksVectorDb implements VectorDb {

    private static final Logger LOG = LoggerFactory.getLogger(RocksVectorDb.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String CATALOG_PREFIX = "collection/";
    private static final String ID_MAP_SUFFIX = ".idmap";
    private static final String GRAPH_SUFFIX = ".hnsw";
    private static final String TEXT_SUFFIX = ".bm25";
    private static final String PAYLOAD_SUFFIX = ".pidx";

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final Path idMapDir;
    private final Path graphDir;
    private final Path textDir;
    private final Path payloadDir;
    private final DbOptions options;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    /** Catalog changes are rare and always synced, whatever {@link DbOptions#syncWrites} says. */
    private final WriteOptions catalogWriteOptions = new WriteOptions().setSync(true);
    private final RocksDB db;
    private final ColumnFamilyHandle defaultCf;
    private final Map<String, RocksCollection> collections = new ConcurrentHashMap<>();
    private final Object catalogLock = new Object();
    private final WriteFaults faults;
    private volatile boolean closed;

    private RocksVectorDb(Path directory, DbOptions options, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
                          RocksDB db, ColumnFamilyHandle defaultCf, WriteFaults faults) {
        this.faults = faults;
        this.directory = directory;
        this.idMapDir = directory.resolve("idmap");
        this.graphDir = directory.resolve("hnsw");
        this.textDir = directory.resolve("text");
        this.payloadDir = directory.resolve("payload");
        this.options = options;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.writeOptions = new WriteOptions().setSync(options.syncWrites());
        this.db = db;
        this.defaultCf = defaultCf;
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
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        RocksVectorDb vdb = null;
        try {
            Files.createDirectories(directory.resolve("idmap"));
            Files.createDirectories(directory.resolve("hnsw"));
            Files.createDirectories(directory.resolve("text"));
            Files.createDirectories(directory.resolve("payload"));
            Files.createDirectories(rocksDir);
            List<byte[]> cfNames;
            try (Options listOptions = new Options()) {
                cfNames = RocksDB.listColumnFamilies(listOptions, rocksDir.toString());
            }
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
            for (byte[] cfName : cfNames) {
                if (!Arrays.equals(cfName, RocksDB.DEFAULT_COLUMN_FAMILY)) {
                    descriptors.add(new ColumnFamilyDescriptor(cfName, cfOptions));
                }
            }
            db = RocksDB.open(dbOptions, rocksDir.toString(), descriptors, handles);
            vdb = new RocksVectorDb(directory, options, dbOptions, cfOptions, db, handles.get(0), faults);
            vdb.loadCatalog(handles.subList(1, handles.size()));
            return vdb;
        } catch (RocksDBException | IOException | RuntimeException e) {
            if (vdb != null) {
                for (RocksCollection c : vdb.collections.values()) {
                    c.close("the database failed to open");
                }
                vdb.writeOptions.close();
                vdb.catalogWriteOptions.close();
            }
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            dbOptions.close();
            cfOptions.close();
            if (e instanceof RuntimeException re) {
                // e.g. a damaged SST found while loading a collection: name the directory
                throw new IllegalStateException("cannot open the database in " + directory + ": " + re.getMessage(), re);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open the database in " + directory + ": " + io.getMessage(), io);
            }
            throw new IllegalStateException("cannot open the database in " + directory + ": " + e.getMessage(), e);
        }
    }

    private void loadCatalog(List<ColumnFamilyHandle> handles) throws RocksDBException, IOException {
        Map<String, ColumnFamilyHandle> byName = new HashMap<>();
        for (ColumnFamilyHandle h : handles) {
            byName.put(new String(h.getName(), StandardCharsets.UTF_8), h);
        }
        List<StoredCollection> entries = new ArrayList<>();
        byte[] prefix = CATALOG_PREFIX.getBytes(StandardCharsets.UTF_8);
        try (RocksIterator it = db.newIterator(defaultCf)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                entries.add(StoredCollection.decode(it.value()));
            }
            it.status();
        }
        for (StoredCollection entry : entries) {
            ColumnFamilyHandle cf = byName.remove(entry.columnFamily());
            if (cf == null) {
                throw new IllegalStateException("collection '" + entry.name() + "' has no column family '"
                        + entry.columnFamily() + "': the RocksDB data is damaged");
            }
            PointStore store = new PointStore(entry.name(), db, cf, writeOptions);
            collections.put(entry.name(), RocksCollection.open(entry.name(), entry.config(), store, options,
                    files(entry.columnFamily()), faults));
        }
        for (ColumnFamilyHandle orphan : byName.values()) {
            LOG.warn("dropping column family '{}' of no collection (a create or drop was cut short)",
                    new String(orphan.getName(), StandardCharsets.UTF_8));
            db.dropColumnFamily(orphan);
            orphan.close();
        }
        deleteOrphans(idMapDir, ID_MAP_SUFFIX, entries, true);
        deleteOrphans(graphDir, GRAPH_SUFFIX, entries, false);
        deleteOrphans(textDir, TEXT_SUFFIX, entries, false);
        deleteOrphans(payloadDir, PAYLOAD_SUFFIX, entries, false);
    }

    /**
     * Deletes derived files (and leftover temp files) of column families no collection uses;
     * with {@code generations}, a collection's {@code <name>.<n>} files are its own (the id map's
     * later generations, which its own open keeps or deletes).
     */
    private static void deleteOrphans(Path dir, String suffix, List<StoredCollection> entries, boolean generations)
            throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                boolean used = entries.stream().anyMatch(e -> fileName.equals(e.columnFamily() + suffix)
                        || generations && fileName.startsWith(e.columnFamily() + suffix + "."));
                if (!used) {
                    LOG.warn("deleting {}, which belongs to no collection", file);
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private CollectionFiles files(String columnFamily) {
        return new CollectionFiles(idMapDir.resolve(columnFamily + ID_MAP_SUFFIX), graphDir.resolve(columnFamily + GRAPH_SUFFIX),
                textDir.resolve(columnFamily + TEXT_SUFFIX), payloadDir.resolve(columnFamily + PAYLOAD_SUFFIX));
    }

    @Override
    public VectorCollection createCollection(String name, CollectionConfig config) {
        checkName(name);
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        synchronized (catalogLock) {
            ensureOpen();
            RocksCollection existing = collections.get(name);
            if (existing != null) {
                if (!existing.config().equals(config)) {
                    throw new CollectionConflictException(name, existing.config(), config);
                }
                return existing;
            }
            String cfName = "c." + name + "." + UUID.randomUUID();
            ColumnFamilyHandle cf = null;
            boolean cataloged = false;
            try {
                cf = db.createColumnFamily(new ColumnFamilyDescriptor(cfName.getBytes(StandardCharsets.UTF_8), cfOptions));
                StoredCollection entry = new StoredCollection(StoredCollection.FORMAT, name, cfName, config);
                db.put(defaultCf, catalogWriteOptions, catalogKey(name), entry.encode());
                cataloged = true;
                RocksCollection c = RocksCollection.open(name, config, new PointStore(name, db, cf, writeOptions),
                        options, files(cfName), faults);
                collections.put(name, c);
                return c;
            } catch (RocksDBException e) {
                IllegalStateException failure = RocksFailures.of("creating collection '" + name + "'", e);
                undoCreate(name, cf, cataloged, failure);
                throw failure;
            } catch (RuntimeException | Error e) {
                undoCreate(name, cf, cataloged, e);
                throw e;
            }
        }
    }

    /**
     * Takes back what a failed create did (catalog entry, column family, derived files), so that
     * nothing of it stays behind; what cannot be taken back (a full disk) the next open removes
     * as an orphan. Failures here are added to {@code cause}.
     */
    private void undoCreate(String name, ColumnFamilyHandle cf, boolean cataloged, Throwable cause) {
        try {
            if (cataloged) {
                db.delete(defaultCf, catalogWriteOptions, catalogKey(name));
            }
            if (cf != null) {
                db.dropColumnFamily(cf);
                deleteDerivedFiles(files(new String(cf.getName(), StandardCharsets.UTF_8)));
            }
        } catch (RocksDBException | IOException | RuntimeException e) {
            cause.addSuppressed(e);
        } finally {
            if (cf != null) {
                cf.close();
            }
        }
    }

    private static void deleteDerivedFiles(CollectionFiles files) throws IOException {
        Files.deleteIfExists(files.idMap());
        Files.deleteIfExists(files.graph());
        Files.deleteIfExists(files.text());
        Files.deleteIfExists(files.payloadIndexes());
    }

    @Override
    public VectorCollection collection(String name) {
        checkName(name);
        ensureOpen();
        RocksCollection c = collections.get(name);
        if (c == null) {
            throw new NoSuchCollectionException(name);
        }
        return c;
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
            c.drop();
            ColumnFamilyHandle cf = c.store().columnFamily();
            try {
                db.delete(defaultCf, catalogWriteOptions, catalogKey(name));
                db.dropColumnFamily(cf);
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot drop collection '" + name + "': " + e.getMessage(), e);
            } finally {
                cf.close();
            }
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
            for (RocksCollection c : collections.values()) {
                c.close("the database was closed");
                c.store().columnFamily().close();
            }
            collections.clear();
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

    private static void checkName(String name) {
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
