package dev.vdb.engine.db;

import dev.vdb.engine.AliasChange;
import dev.vdb.engine.NoSuchAliasException;
import dev.vdb.engine.NoSuchCollectionException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The database's aliases, alias → collection name, kept in the catalog as
 * {@code alias/<alias>} → the collection's name. Lookups read an immutable map published whole;
 * changes are computed against it and published by the caller after their batch is durable, under
 * the catalog lock (so one change at a time).
 */
final class CollectionAliases {

    private static final String PREFIX = "alias/";

    private volatile Map<String, String> byAlias = Map.of();

    /** The current aliases, sorted by alias (immutable). */
    Map<String, String> current() {
        return byAlias;
    }

    /** The collection {@code alias} points at, or null. */
    String target(String alias) {
        return byAlias.get(alias);
    }

    /** Reads the aliases from the catalog. */
    void load(RocksDB db, ColumnFamilyHandle catalog) throws RocksDBException {
        byte[] prefix = PREFIX.getBytes(StandardCharsets.UTF_8);
        Map<String, String> loaded = new TreeMap<>();
        try (RocksIterator it = db.newIterator(catalog)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                loaded.put(new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.UTF_8),
                        new String(it.value(), StandardCharsets.UTF_8));
            }
            it.status();
        }
        byAlias = Collections.unmodifiableMap(loaded);
    }

    /**
     * The aliases after {@code changes}, each checked against the ones before it: a created alias
     * must point at an existing collection and must not be a collection's name.
     */
    Map<String, String> after(List<AliasChange> changes, Predicate<String> collectionExists, Predicate<String> validName) {
        Map<String, String> next = new TreeMap<>(byAlias);
        for (AliasChange change : changes) {
            switch (change) {
                case AliasChange.Create c -> {
                    checkName(c.alias(), collectionExists, validName);
                    if (!collectionExists.test(c.collection())) {
                        throw new NoSuchCollectionException(c.collection());
                    }
                    next.put(c.alias(), c.collection());
                }
                case AliasChange.Delete d -> next.remove(d.alias());
                case AliasChange.Rename r -> {
                    String target = next.remove(r.from());
                    if (target == null) {
                        throw new NoSuchAliasException(r.from());
                    }
                    checkName(r.to(), collectionExists, validName);
                    next.put(r.to(), target);
                }
            }
        }
        return next;
    }

    /** The aliases without those pointing at {@code collections}. */
    Map<String, String> without(List<String> collections) {
        Map<String, String> next = new TreeMap<>(byAlias);
        next.values().removeIf(collections::contains);
        return next;
    }

    /** Adds to {@code batch} what turns the stored aliases into {@code next}. */
    void write(WriteBatch batch, ColumnFamilyHandle catalog, Map<String, String> next) throws RocksDBException {
        for (String alias : byAlias.keySet()) {
            if (!next.containsKey(alias)) {
                batch.delete(catalog, key(alias));
            }
        }
        for (Map.Entry<String, String> e : next.entrySet()) {
            if (!e.getValue().equals(byAlias.get(e.getKey()))) {
                batch.put(catalog, key(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Makes {@code next} the aliases lookups see (after its batch is durable). */
    void publish(Map<String, String> next) {
        byAlias = Collections.unmodifiableMap(new TreeMap<>(next));
    }

    private static void checkName(String alias, Predicate<String> collectionExists, Predicate<String> validName) {
        if (alias == null || !validName.test(alias)) {
            throw new IllegalArgumentException("alias name must be 1-64 characters of A-Z a-z 0-9 _ -, got "
                    + (alias == null ? "nothing" : "'" + alias + "'"));
        }
        if (collectionExists.test(alias)) {
            throw new IllegalArgumentException("alias '" + alias + "' is the name of a collection");
        }
    }

    private static byte[] key(String alias) {
        return (PREFIX + alias).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
