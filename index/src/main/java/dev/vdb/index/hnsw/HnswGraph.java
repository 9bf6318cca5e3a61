package dev.vdb.index.hnsw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node store of an HNSW graph: per ordinal a state (absent, live, deleted), a top level and
 * one neighbour list per level. Level 0 lives in flat {@code int} pages of
 * {@code 1 + 2·M} slots per node (count, then neighbours), the upper levels, which only about
 * one node in M has, in one small {@code int[1 + M]} per node and level.
 *
 * <p>Thread safety: a writer changes a node's list only while holding that node's lock (one of
 * {@value #LOCK_STRIPES} striped monitors; a thread holds at most one at a time, so no deadlock).
 * It writes the neighbours first and publishes the count last with a release store; a reader
 * takes no lock, reads the count with an acquire load and then the slots, so it sees a list
 * that is whole or, during a rewrite, a mix of old and new neighbours: all valid ordinals.
 * Growth is guarded by a lock and publishes new page tables through volatile fields. Reads
 * allocate nothing.
 */
final class HnswGraph {

    static final byte ABSENT = 0;
    static final byte LIVE = 1;
    static final byte DELETED = 2;

    /** Nodes per page unless the graph is made with smaller ones. */
    static final int PAGE_NODES = 1 << 12;
    /** No entry point yet. */
    static final long NO_ENTRY = -1L;
    private static final int LOCK_STRIPES = 1 << 10;

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);

    private final int m;
    /** Nodes per page (a power of two), its log2 and the mask of a node's place in its page. */
    private final int pageNodes;
    private final int pageShift;
    private final int pageMask;
    private final int maxConn0;
    /** Slots per node in a level-0 page: the count, then up to {@link #maxConn0} neighbours. */
    private final int stride0;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final Object growLock = new Object();

    private volatile int[][] level0Pages = new int[0][];
    private volatile byte[][] statePages = new byte[0][];
    private volatile byte[][] levelPages = new byte[0][];
    /** Per node, its lists for levels 1..top ({@code null} for level-0-only nodes). */
    private volatile int[][][][] upperPages = new int[0][][][];
    private volatile int capacity;
    private volatile boolean everDeleted;

    /** Packed {@code level << 32 | node} of the entry point, or {@link #NO_ENTRY}. */
    final AtomicLong entry = new AtomicLong(NO_ENTRY);

    /**
     * Held for the whole insert of a node whose level is above the entry point's (rare: odds
     * about M^-level), so two such inserts run one after the other and the later one links to
     * the earlier on the levels above the old entry point. Taken before any node lock.
     */
    final Object newTopLevelLock = new Object();

    HnswGraph(int m) {
        this(m, PAGE_NODES);
    }

    /** A graph whose pages hold {@code pageNodes} nodes (a power of two): small graphs take small pages. */
    HnswGraph(int m, int pageNodes) {
        this.m = m;
        this.pageNodes = pageNodes;
        this.pageShift = Integer.numberOfTrailingZeros(pageNodes);
        this.pageMask = pageNodes - 1;
        this.maxConn0 = 2 * m;
        this.stride0 = 1 + maxConn0;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    int m() {
        return m;
    }

    int maxConnections(int level) {
        return level == 0 ? maxConn0 : m;
    }

    /** One more than the highest ordinal the graph has room for. */
    int capacity() {
        return capacity;
    }

    Object lock(int node) {
        return locks[node & (LOCK_STRIPES - 1)];
    }

    // ---- node state ------------------------------------------------------------------------

    byte state(int node) {
        if (node >= capacity) {
            return ABSENT;
        }
        return (byte) BYTES.getAcquire(statePages[node >>> pageShift], node & pageMask);
    }

    void setState(int node, byte state) {
        BYTES.setRelease(statePages[node >>> pageShift], node & pageMask, state);
    }

    int level(int node) {
        return levelPages[node >>> pageShift][node & pageMask];
    }

    /** Makes room for {@code node} and turns it from absent to live; false if it was not absent. */
    boolean claim(int node) {
        ensureCapacity(node + 1);
        return BYTES.compareAndSet(statePages[node >>> pageShift], node & pageMask, ABSENT, LIVE);
    }

    /** Turns {@code node} from live to deleted; false if it was not live. */
    boolean markDeleted(int node) {
        if (node >= capacity) {
            return false;
        }
        everDeleted = true;
        return BYTES.compareAndSet(statePages[node >>> pageShift], node & pageMask, LIVE, DELETED);
    }

    /**
     * False until the first {@link #markDeleted}: searches of a graph that never had a delete
     * skip the per-hit state check (every reachable node is live).
     */
    boolean everDeleted() {
        return everDeleted;
    }

    /**
     * Records the top level of a {@link #claim claimed} node and allocates its empty lists,
     * before anything links to it.
     */
    void allocate(int node, int level) {
        ensureCapacity(node + 1);
        levelPages[node >>> pageShift][node & pageMask] = (byte) level;
        if (level > 0) {
            int[][] upper = new int[level][];
            for (int l = 0; l < level; l++) {
                upper[l] = new int[1 + m];
            }
            upperPages[node >>> pageShift][node & pageMask] = upper;
        }
    }

    // ---- neighbour lists -------------------------------------------------------------------
    // A list is addressed as (array, base): the count at array[base], neighbours after it.

    int[] level0Page(int node) {
        return level0Pages[node >>> pageShift];
    }

    int level0Base(int node) {
        return (node & pageMask) * stride0;
    }

    /** The list array of {@code node} on {@code level >= 1} (base 0), or null if it has none. */
    int[] upperList(int node, int level) {
        int[][] upper = upperPages[node >>> pageShift][node & pageMask];
        return upper == null || upper.length < level ? null : upper[level - 1];
    }

    int[] listArray(int node, int level) {
        return level == 0 ? level0Page(node) : upperList(node, level);
    }

    int listBase(int node, int level) {
        return level == 0 ? level0Base(node) : 0;
    }

    /** Reads a list's count with acquire semantics (pairs with {@link #publishCount}). */
    static int count(int[] array, int base) {
        return (int) INTS.getAcquire(array, base);
    }

    static void publishCount(int[] array, int base, int count) {
        INTS.setRelease(array, base, count);
    }

    /**
     * Copies {@code node}'s neighbours on {@code level} into {@code out} (which must hold
     * {@link #maxConnections}) and returns how many.
     */
    int neighbours(int node, int level, int[] out) {
        int[] a = listArray(node, level);
        if (a == null) {
            return 0;
        }
        int base = listBase(node, level);
        int n = count(a, base);
        System.arraycopy(a, base + 1, out, 0, n);
        return n;
    }

    /** Overwrites {@code node}'s list on {@code level}; the caller holds {@code lock(node)}. */
    void setNeighbours(int node, int level, int[] neighbours, int n) {
        int[] a = listArray(node, level);
        int base = listBase(node, level);
        System.arraycopy(neighbours, 0, a, base + 1, n);
        publishCount(a, base, n);
    }

    private void ensureCapacity(int nodes) {
        if (nodes <= capacity) {
            return;
        }
        synchronized (growLock) {
            int have = capacity >>> pageShift;
            int need = (nodes + pageMask) >>> pageShift;
            if (need <= have) {
                return;
            }
            int tableSize = need <= level0Pages.length ? level0Pages.length : Math.max(need, level0Pages.length * 2);
            int[][] l0 = Arrays.copyOf(level0Pages, tableSize);
            byte[][] st = Arrays.copyOf(statePages, tableSize);
            byte[][] lv = Arrays.copyOf(levelPages, tableSize);
            int[][][][] up = Arrays.copyOf(upperPages, tableSize);
            for (int p = have; p < need; p++) {
                l0[p] = new int[pageNodes * stride0];
                st[p] = new byte[pageNodes];
                lv[p] = new byte[pageNodes];
                up[p] = new int[pageNodes][][];
            }
            level0Pages = l0;
            statePages = st;
            levelPages = lv;
            upperPages = up;
            capacity = need << pageShift;
        }
    }

    /** Bytes held by the graph's pages and upper lists (an estimate of the heap it uses). */
    long memoryBytes() {
        long pages = capacity >>> pageShift;
        long bytes = pages * pageNodes * (4L * stride0 + 2 + 8);
        for (int p = 0; p < pages; p++) {
            for (int[][] upper : upperPages[p]) {
                if (upper != null) {
                    bytes += 16 + upper.length * (16 + 4L * (1 + m));
                }
            }
        }
        return bytes;
    }

    static long packEntry(int node, int level) {
        return ((long) level << 32) | (node & 0xffffffffL);
    }

    static int entryNode(long entry) {
        return (int) entry;
    }

    static int entryLevel(long entry) {
        return (int) (entry >>> 32);
    }
}
