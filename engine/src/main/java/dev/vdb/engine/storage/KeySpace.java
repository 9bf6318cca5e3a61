package dev.vdb.engine.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Where one collection's records live in RocksDB: a column family and a key prefix in it. A
 * collection created by this version shares the {@code points} column family with the others
 * under an 8-byte prefix of its own (its collection number, big-endian, never reused); one
 * created by an older version keeps its own column family with no prefix. Records are addressed
 * by their local key ({@link PointCodec}), which this class prefixes and strips.
 *
 * <p>Immutable and thread-safe; {@link #key} allocates the full key.
 */
public final class KeySpace {

    private static final byte[] NO_PREFIX = new byte[0];

    private final ColumnFamilyHandle cf;
    private final byte[] prefix;

    private KeySpace(ColumnFamilyHandle cf, byte[] prefix) {
        this.cf = cf;
        this.prefix = prefix;
    }

    /** The records of collection number {@code number} in the shared column family {@code cf}. */
    public static KeySpace shared(ColumnFamilyHandle cf, long number) {
        if (number < 0) {
            throw new IllegalArgumentException("collection number must not be negative, got " + number);
        }
        return new KeySpace(cf, prefixOf(number));
    }

    /** Every record of a column family of its own (a collection of the older layout). */
    public static KeySpace ownColumnFamily(ColumnFamilyHandle cf) {
        return new KeySpace(cf, NO_PREFIX);
    }

    /** The 8-byte prefix of collection number {@code number}: its keys sort together. */
    public static byte[] prefixOf(long number) {
        return ByteBuffer.allocate(Long.BYTES).putLong(number).array();
    }

    public ColumnFamilyHandle columnFamily() {
        return cf;
    }

    /** Whether this space has a column family of its own (the older layout). */
    public boolean ownsColumnFamily() {
        return prefix.length == 0;
    }

    /** Bytes before the local key in every full key. */
    public int prefixLength() {
        return prefix.length;
    }

    /** The full key of local key {@code local}. */
    public byte[] key(byte[] local) {
        if (prefix.length == 0) {
            return local;
        }
        byte[] key = Arrays.copyOf(prefix, prefix.length + local.length);
        System.arraycopy(local, 0, key, prefix.length, local.length);
        return key;
    }

    /** Whether full key {@code key} is in this space. */
    public boolean contains(byte[] key) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The local key of full key {@code key}, which is in this space. */
    public byte[] local(byte[] key) {
        return prefix.length == 0 ? key : Arrays.copyOfRange(key, prefix.length, key.length);
    }

    /**
     * Whether full key {@code key} is in this space and its local key starts with {@code kind}
     * (a record kind of {@link PointCodec}).
     */
    public boolean holds(byte[] key, byte kind) {
        return key.length > prefix.length && key[prefix.length] == kind
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** As {@link #holds(byte[], byte)}, for a full key in {@code key}'s first {@code length} bytes. */
    public boolean holds(ByteBuffer key, int length, byte kind) {
        if (length <= prefix.length || key.get(prefix.length) != kind) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key.get(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first full key of this space (inclusive bound of a range delete). */
    public byte[] start() {
        return prefix.clone();
    }

    /** The first full key past this space (exclusive bound of a range delete); shared spaces only. */
    public byte[] end() {
        if (prefix.length == 0) {
            throw new IllegalStateException("a column family of its own has no end key");
        }
        return prefixOf(ByteBuffer.wrap(prefix).getLong() + 1);
    }
}
