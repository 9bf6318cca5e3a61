package dev.vdb.index.hnsw;

import dev.vdb.index.PackedHit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node store of an HNSW graph: per ordinal a state (absent, live, deleted), a top level and
 * one neighbour list per level, all in flat primitive pages (no object per node). Level 0 lives
 * in {@code int} pages of {@code 1 + 2·M} slots per node (a header, then neighbours; the header
 * packs the count, how many of the first neighbours passed the diversity check ({@link #checked})
 * and a floor under the neighbours' scores ({@link #floor})).
 * The upper levels, which only about one node in M has, live in shared {@code int} pages of
 * {@code 4 × nodes per page} slots (or more for a large M): a node of top level L gets L
 * consecutive lists of {@code 1 + M} slots in one page, handed out in order when it is
 * {@link #allocate allocated}, and its per-node {@code int} offset says where they start. So the
 * graph costs {@code 4·(1 + 2M) + 2 + 4} bytes per node plus {@code 4·(1 + M)} per upper list.
 *
 * <p>Thread safety: a writer changes a node's list only while holding that node's lock (one of
 * {@value #LOCK_STRIPES} striped monitors; a thread holds at most one at a time, so no deadlock).
 * It writes the neighbours first and publishes the count last with a release store; a reader
 * takes no lock, reads the count with an acquire load and then the slots, so it sees a list
 * that is whole or, during a rewrite, a mix of old and new neighbours: all valid ordinals.
 * Growth, and handing out a node's upper lists (one node in about M), are guarded by one lock
 * and publish new page tables through volatile fields before any offset into a new page is
 * stored; a reader reaches a node's offset only through a list it read with acquire, so it
 * sees the page too. Reads allocate nothing.
 */
final class HnswGraph {

    static final byte ABSENT = 0;
    static final byte LIVE = 1;
    static final byte DELETED = 2;

    /** Nodes per page unless the graph is made with smaller ones (or M makes them smaller). */
    static final int PAGE_NODES = 1 << 12;
    /**
     * Most bytes of a level-0 page: below half of G1's smallest region (1 MiB), so a page is never
     * a humongous object (which takes whole regions: at M=16 a 4,096-node page of 540 KiB took
     * 1 MiB).
     */
    static final int MAX_PAGE_BYTES = 1 << 18;
    /** The highest level a node can have (HnswIndex draws at most this, the file stores at most this). */
    static final int MAX_LEVEL = 31;
    /** No entry point yet. */
    static final long NO_ENTRY = -1L;
    private static final int LOCK_STRIPES = 1 << 10;
    /**
     * Slots of an upper-level page per node of a level-0 page (about one node in M has upper
     * lists), unless a node's lists need more (a large M): 16,384 for the default page.
     */
    static final int UPPER_INTS_PER_PAGE_NODE = 4;
    /** A node's upper lists start at this offset when it has none. */
    private static final int NO_UPPER = -1;

    /** A list's {@link #floor} when nothing is known about its scores: no score is below it. */
    static final int UNKNOWN_FLOOR = 0;

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);

    private final int m;
    /**
     * A list's header (its first slot): the count in the low {@link #countBits}, how many of the
     * first neighbours passed the diversity check in the next {@code countBits} (at most 2M, or
     * all ones: {@link #unresolved}), and in the rest, from {@link #floorShift} up, the
     * {@link #floor}.
     */
    private final int countBits;
    private final int countMask;
    private final int floorShift;
    /**
     * The {@link #checked} value of a list whose neighbours' diversity is not known (one a repair
     * or a version-1 file wrote, or that grew by appends): the count's all-ones, which no count
     * reaches.
     */
    final int unresolved;
    /** Nodes per page (a power of two), its log2 and the mask of a node's place in its page. */
    private final int pageNodes;
    private final int pageShift;
    private final int pageMask;
    private final int maxConn0;
    /** Slots per node in a level-0 page: the count, then up to {@link #maxConn0} neighbours. */
    private final int stride0;
    /** Slots per upper-level list: the count, then up to M neighbours. */
    private final int strideUpper;
    /** Slots per upper-level page: a power of two that holds the lists of a node of the top level. */
    private final int upperPageShift;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final Object growLock = new Object();

    private volatile int[][] level0Pages = new int[0][];
    private volatile byte[][] statePages = new byte[0][];
    private volatile byte[][] levelPages = new byte[0][];
    /** Per node, where its upper lists start in {@link #upperPages}, or {@link #NO_UPPER}. */
    private volatile int[][] upperOffsetPages = new int[0][];
    /** The upper-level lists; grown (under {@link #growLock}) as nodes with upper levels come. */
    private volatile int[][] upperPages = new int[0][];
    /** The next free slot of {@link #upperPages}; guarded by {@link #growLock}. */
    private long upperUsed;
    private volatile int capacity;
    private volatile boolean everDeleted;
    /**
     * While scores are kept ({@link #openScoreCache}): per level-0 page, a page of
     * {@code maxConn0} floats per node holding each neighbour's score against the node as the
     * inserter scored it, NaN when unknown; else null. Every level-0 list write writes its slots
     * here too, under the node's lock as the list itself, so a link back to a full list reads its
     * neighbours' scores instead of scoring them all. Pages come with the level-0 pages while
     * scores are kept (a page not there yet reads as unknown) and never move, so a writer holding
     * a table that was replaced meanwhile writes into pages no reader sees.
     */
    private volatile float[][] level0ScorePages;
    /** Users of the kept scores ({@link #openScoreCache}); guarded by {@link #growLock}. */
    private int scoreCacheUsers;

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

    /**
     * A graph whose pages hold {@code pageNodes} nodes (a power of two), fewer if a level-0 page
     * would exceed {@link #MAX_PAGE_BYTES}: small graphs take small pages.
     */
    HnswGraph(int m, int pageNodes) {
        this.m = m;
        this.maxConn0 = 2 * m;
        this.countBits = 32 - Integer.numberOfLeadingZeros(maxConn0);
        this.countMask = (1 << countBits) - 1;
        this.floorShift = 2 * countBits;
        this.unresolved = countMask;
        this.stride0 = 1 + maxConn0;
        this.pageNodes = Math.min(pageNodes, Integer.highestOneBit(Math.max(1, MAX_PAGE_BYTES / (Integer.BYTES * stride0))));
        this.pageShift = Integer.numberOfTrailingZeros(this.pageNodes);
        this.pageMask = this.pageNodes - 1;
        this.strideUpper = 1 + m;
        int topLists = MAX_LEVEL * strideUpper;
        this.upperPageShift = Math.max(Integer.numberOfTrailingZeros(UPPER_INTS_PER_PAGE_NODE * this.pageNodes),
                32 - Integer.numberOfLeadingZeros(topLists - 1));
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    int m() {
        return m;
    }

    /** Nodes per page. */
    int pageNodes() {
        return pageNodes;
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
     * Records the top level of a {@link #claim claimed} node and hands out its empty upper lists,
     * before anything links to it (a reader that finds the node in a list it read with acquire
     * then sees its level, offset and page).
     */
    void allocate(int node, int level) {
        ensureCapacity(node + 1);
        levelPages[node >>> pageShift][node & pageMask] = (byte) level;
        upperOffsetPages[node >>> pageShift][node & pageMask] = level > 0 ? allocateUpper(level) : NO_UPPER;
    }

    /** Reserves {@code level} consecutive upper lists in one page; returns the offset of the first. */
    private int allocateUpper(int level) {
        int pageInts = 1 << upperPageShift;
        int need = level * strideUpper;
        synchronized (growLock) {
            long start = upperUsed;
            if ((start & (pageInts - 1)) + need > pageInts) {
                start = (start + pageInts - 1) & -(long) pageInts; // the lists never straddle two pages
            }
            int page = (int) (start >>> upperPageShift);
            if (start + need > (long) Integer.MAX_VALUE) {
                throw new IllegalStateException("the HNSW graph's upper levels are full (" + start + " slots)");
            }
            if (page >= upperPages.length || upperPages[page] == null) {
                int[][] table = page < upperPages.length ? upperPages.clone()
                        : Arrays.copyOf(upperPages, Math.max(page + 1, upperPages.length * 2));
                table[page] = new int[pageInts];
                upperPages = table; // a new table, published before any offset into the page
            }
            upperUsed = start + need;
            return (int) start;
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

    /**
     * The page holding {@code node}'s list on {@code level >= 1} (at {@link #upperBase}), or
     * null if the node's top level is below {@code level}.
     */
    int[] upperList(int node, int level) {
        if (levelPages[node >>> pageShift][node & pageMask] < level) {
            return null;
        }
        return upperPages[upperOffsetPages[node >>> pageShift][node & pageMask] >>> upperPageShift];
    }

    /** Where {@code node}'s list on {@code level >= 1} starts in its {@link #upperList} page. */
    int upperBase(int node, int level) {
        int offset = upperOffsetPages[node >>> pageShift][node & pageMask];
        return (offset & ((1 << upperPageShift) - 1)) + (level - 1) * strideUpper;
    }

    int[] listArray(int node, int level) {
        return level == 0 ? level0Page(node) : upperList(node, level);
    }

    int listBase(int node, int level) {
        return level == 0 ? level0Base(node) : upperBase(node, level);
    }

    /** Reads a list's count with acquire semantics (pairs with {@link #publish}). */
    int count(int[] array, int base) {
        return (int) INTS.getAcquire(array, base) & countMask;
    }

    /**
     * How many of a list's first neighbours passed the inserter's diversity check, the rest having
     * failed it (see {@code NodeInserter.linkBack}), or {@link #unresolved} when that is not known;
     * read under the node's lock, beside a plain count.
     */
    int checked(int[] array, int base) {
        return (array[base] >>> countBits) & countMask;
    }

    /**
     * How many of a list's first neighbours passed the diversity check, or its count when that is
     * not known or none did; read without a lock, as {@link #count} (one acquire read of the
     * header, so both halves come from one write).
     */
    int passedOrAll(int[] array, int base) {
        int header = (int) INTS.getAcquire(array, base);
        int count = header & countMask;
        int passed = (header >>> countBits) & countMask;
        return passed == unresolved || passed == 0 ? count : passed;
    }

    /**
     * A list's floor, read under the node's lock: {@link #floorOf} a score no higher than any
     * of its neighbours' scores against the node (as the inserter scores them), or
     * {@link #UNKNOWN_FLOOR}. Kept by the inserter, which has every neighbour's score whenever it
     * shrinks a full list; a list written from elsewhere (a repair, a loaded file) starts unknown.
     */
    int floor(int[] array, int base) {
        return array[base] >>> floorShift;
    }

    /**
     * The floor for a list whose worst score is {@code score}: the score's ordered bits rounded
     * down to the header's spare bits (32 less twice the bits a count of 2M takes: 20 at M = 16,
     * within 0.05 % of the score), offset to be non-negative. Floors order as their scores do, so
     * a list's floor is the lowest of its neighbours' floors. The lowest score's floor is
     * {@link #UNKNOWN_FLOOR}, which says the same: no score is below it.
     */
    int floorOf(float score) {
        return (PackedHit.orderedBits(score) >> floorShift) + (1 << (31 - floorShift));
    }

    /** Whether {@code score} is strictly below every score under which a list has this floor. */
    boolean below(float score, int floor) {
        return PackedHit.orderedBits(score) < (floor - (1 << (31 - floorShift))) << floorShift;
    }

    /** Publishes a list's count, {@link #checked} prefix and {@link #floor} with a release store. */
    void publish(int[] array, int base, int count, int checked, int floor) {
        INTS.setRelease(array, base, count | checked << countBits | floor << floorShift);
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

    /**
     * Overwrites {@code node}'s list on {@code level}, {@link #unresolved}, its floor unknown; the
     * caller holds {@code lock(node)}.
     */
    void setNeighbours(int node, int level, int[] neighbours, int n) {
        setNeighbours(node, level, neighbours, n, unresolved, UNKNOWN_FLOOR, null);
    }

    /**
     * As {@link #setNeighbours(int, int, int[], int)}, with {@code checked} of them passed (the
     * list's {@link #checked}, or {@link #unresolved}), the given {@link #floor}, and their scores
     * against the node ({@code scores}, or null when unknown) {@link #cacheScores cached} on level 0.
     */
    void setNeighbours(int node, int level, int[] neighbours, int n, int checked, int floor, float[] scores) {
        int[] a = listArray(node, level);
        int base = listBase(node, level);
        System.arraycopy(neighbours, 0, a, base + 1, n);
        cacheScores(node, level, scores, n);
        publish(a, base, n, checked, floor);
    }

    // ---- the scores of level-0 lists, while adds run in bulk ------------------------------------

    /**
     * Keeps level-0 scores from now on, for every node (those of lists written before stay
     * unknown), until as many {@link #closeScoreCache} calls: {@code 4·2M} bytes per node.
     */
    void openScoreCache() {
        synchronized (growLock) {
            if (scoreCacheUsers++ == 0) {
                level0ScorePages = unknownScorePages();
            }
        }
    }

    /** A user of the kept scores is done: the last one frees them. */
    void closeScoreCache() {
        synchronized (growLock) {
            if (--scoreCacheUsers == 0) {
                level0ScorePages = null;
            }
        }
    }

    /** Whether level-0 scores are kept now. */
    boolean keepsScores() {
        return level0ScorePages != null;
    }

    /** Forgets every kept score (inserts now score another representation of the vectors). */
    void forgetScores() {
        synchronized (growLock) {
            if (level0ScorePages != null) {
                level0ScorePages = unknownScorePages();
            }
        }
    }

    /**
     * A score table as long as the level-0 page table, with a page of unknown scores for each
     * level-0 page there; called under {@link #growLock}.
     */
    private float[][] unknownScorePages() {
        float[][] table = new float[level0Pages.length][];
        for (int p = 0, pages = capacity >>> pageShift; p < pages; p++) {
            table[p] = unknownScorePage();
        }
        return table;
    }

    private float[] unknownScorePage() {
        float[] page = new float[pageNodes * maxConn0];
        Arrays.fill(page, Float.NaN);
        return page;
    }

    /** The kept score page of {@code node}, or null when scores are not kept (or not yet for its page). */
    private float[] scorePage(int node) {
        float[][] table = level0ScorePages;
        int page = node >>> pageShift;
        return table == null || page >= table.length ? null : table[page];
    }

    /**
     * Copies the kept scores of {@code node}'s first {@code count} neighbours on {@code level}
     * into {@code out}; false, leaving {@code out} unspecified, when any is unknown or none are
     * kept (never any above level 0). The caller holds {@code lock(node)}.
     */
    boolean cachedScores(int node, int level, int count, float[] out) {
        float[] kept = level == 0 ? scorePage(node) : null;
        if (kept == null) {
            return false;
        }
        int at = (node & pageMask) * maxConn0;
        for (int i = 0; i < count; i++) {
            float score = kept[at + i];
            if (Float.isNaN(score)) {
                return false;
            }
            out[i] = score;
        }
        return true;
    }

    /**
     * Keeps {@code scores[0..n)} (null: unknown) as those of {@code node}'s first {@code n}
     * neighbours on {@code level} (kept on level 0 only); the caller holds {@code lock(node)}.
     */
    void cacheScores(int node, int level, float[] scores, int n) {
        float[] kept = level == 0 ? scorePage(node) : null;
        if (kept == null) {
            return;
        }
        int at = (node & pageMask) * maxConn0;
        if (scores == null) {
            Arrays.fill(kept, at, at + n, Float.NaN);
        } else {
            System.arraycopy(scores, 0, kept, at, n);
        }
    }

    /**
     * Keeps {@code score} as that of {@code node}'s neighbour in {@code slot} on {@code level}
     * (kept on level 0 only); the caller holds {@code lock(node)}.
     */
    void cacheScore(int node, int level, int slot, float score) {
        float[] kept = level == 0 ? scorePage(node) : null;
        if (kept != null) {
            kept[(node & pageMask) * maxConn0 + slot] = score;
        }
    }

    /**
     * Makes every level-0 list's {@link #floor} unknown (the inserter keeps floors on level 0
     * only), one node's lock at a time: for when inserts start scoring another representation of
     * the vectors, whose scores the floors do not bound. An insert still running on the old one
     * may leave an old floor behind: it is off by the two representations' difference, which at
     * worst makes a later link-back drop a newcomer the full check would have kept in place of
     * another neighbour (the list stays whole and valid), and the next shrink rewrites it.
     */
    void forgetFloors() {
        int nodes = capacity;
        for (int node = 0; node < nodes; node++) {
            synchronized (lock(node)) {
                int[] a = level0Page(node);
                int base = level0Base(node);
                publish(a, base, count(a, base), checked(a, base), UNKNOWN_FLOOR);
            }
        }
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
            int[][] up = Arrays.copyOf(upperOffsetPages, tableSize);
            for (int p = have; p < need; p++) {
                l0[p] = new int[pageNodes * stride0];
                st[p] = new byte[pageNodes];
                lv[p] = new byte[pageNodes];
                up[p] = new int[pageNodes];
            }
            float[][] kept = level0ScorePages;
            if (kept != null) {
                kept = Arrays.copyOf(kept, tableSize);
                for (int p = have; p < need; p++) {
                    kept[p] = unknownScorePage();
                }
                level0ScorePages = kept;
            }
            level0Pages = l0;
            statePages = st;
            levelPages = lv;
            upperOffsetPages = up;
            capacity = need << pageShift;
        }
    }

    /**
     * Bytes of the graph's pages: per node of capacity its level-0 list, state, level and upper
     * offset, plus every upper-level page handed out, plus the kept scores' pages while there are
     * any, plus the page tables (array headers counted at 16 bytes, references at 8).
     */
    long memoryBytes() {
        long pages = capacity >>> pageShift;
        long nodePages = pages * (pageNodes * (4L * stride0 + 1 + 1 + 4) + 4 * 16);
        long upper = 0;
        int[][] table = upperPages;
        for (int[] page : table) {
            upper += page == null ? 0 : 16 + 4L * page.length;
        }
        long tables = 4 * (16 + 8L * level0Pages.length) + 16 + 8L * table.length;
        float[][] kept = level0ScorePages;
        long scores = 0;
        if (kept != null) {
            tables += 16 + 8L * kept.length;
            for (float[] page : kept) {
                scores += page == null ? 0 : 16 + 4L * page.length;
            }
        }
        return nodePages + upper + tables + scores;
    }

    /** Slots of the upper-level pages handed out so far (lists and the ends of pages skipped). */
    long upperSlotsUsed() {
        synchronized (growLock) {
            return upperUsed;
        }
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
