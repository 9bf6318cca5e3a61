package dev.vdb.index;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.agrona.UnsafeApi;

/**
 * Vectors of one dimension held in memory by dense ordinal, in pages ({@code float[]} slabs),
 * never one object per vector. A full page fills one G1 heap region ({@link #PAGE_BYTES}: G1
 * puts an object of half a region or more, a humongous one, at the start of its own regions and
 * wastes the rest of the last one, so a page of exactly 3 MiB of 768-d vectors plus its 16-byte
 * header took four 1 MiB regions: a third of the heap the vectors took was waste). So a page holds
 * as many vectors as fit the region with its header and {@link #LEAD}, rarely a power of two; an
 * ordinal's page is found by a multiplication and a shift (an exact division, {@link #pageOf}).
 * The first page starts small (at most {@value #FIRST_PAGE_VECTORS} vectors) and doubles until
 * it is a full page, so a small collection holds about what its vectors take. Distance kernels
 * read a vector as {@code (page(ord), offset(ord))}.
 *
 * <p>Thread safety: {@link #set} may run concurrently with reads and with other {@code set}
 * calls on different ordinals; growth is guarded by a lock and publishes a new page table
 * through a volatile field. While the first page is not full it may be replaced by a larger
 * copy, so a {@code set} into it takes the growth lock. A reader must learn of an ordinal through some happens-before
 * edge (e.g. the index publishing the node) before reading its vector. Reads allocate nothing.
 */
public final class VectorStore implements GraphVectors, FullPrecisionVectors {

    /**
     * Bytes a full page takes with its header: one heap region under G1 (1 to 32 MiB, by heap
     * size), 4 MiB under other collectors (which have no humongous objects).
     */
    public static final long PAGE_BYTES = pageBytes();
    static final int FIRST_PAGE_VECTORS = 16;
    /**
     * Floats before a page's first vector, so that it starts on a 64-byte boundary when the page
     * does (a humongous page starts a region). Every row of a dimension that is a multiple of 16
     * is then cache-line aligned, and no 32- or 64-byte SIMD load of it straddles two lines (with
     * the 16-byte array header alone, half of them did at d = 784: 10-14% slower distances).
     */
    static final int LEAD = Math.floorMod(64 - UnsafeApi.arrayBaseOffset(float[].class), 64) / Float.BYTES;
    /** Bytes of a page besides its vectors: the array header and the lead, at most. */
    private static final int PAGE_OVERHEAD_BYTES = 64;

    private final int dimension;
    /** Vectors per full page. */
    private final int pageVectors;
    /** {@code ordinal / pageVectors} is {@code (ordinal * pageMagic) >>> pageMagicShift} (see {@link #pageOf}). */
    private final long pageMagic;
    private final int pageMagicShift;
    private final Object growLock = new Object();
    private volatile float[][] pages = new float[0][];
    /**
     * Each vector's squared norm, paged as {@link #pages} ({@code pageVectors} floats a page),
     * in a store {@link #scoredWith Euclidean distance} whose dimension is a multiple of
     * {@link DistanceKernels#BLOCK}: a scorer whose query is zero in whole blocks then skips those
     * blocks ({@link FloatNodeScorer}). Null otherwise.
     */
    private volatile float[][] normPages;
    /** Every block start of a vector, for {@link DistanceKernels#dotBlocks} over the whole of it; null without norms. */
    private final int[] allBlocks;
    /** Pages allocated so far: a prefix of {@link #pages}; the rest of the table is null. */
    private volatile int allocatedPages;
    /** Vectors the allocated pages hold: below a page only while the first page grows. */
    private volatile int capacity;
    private volatile int size;

    /** A store that keeps no squared norms; see {@link #scoredWith}. */
    public VectorStore(int dimension) {
        this(dimension, false);
    }

    /**
     * A store for vectors scored with {@code similarity}: under Euclidean distance, at a dimension
     * of whole {@link DistanceKernels#BLOCK}s, it keeps each vector's squared norm (4 bytes) for
     * the scorer's block skipping; inner products have no use for them.
     */
    public static VectorStore scoredWith(int dimension, VectorSimilarity similarity) {
        return new VectorStore(dimension, similarity == VectorSimilarity.EUCLID);
    }

    private VectorStore(int dimension, boolean euclid) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        this.dimension = dimension;
        this.pageVectors = (int) Math.clamp((PAGE_BYTES - PAGE_OVERHEAD_BYTES) / ((long) dimension * Float.BYTES), 1,
                Integer.MAX_VALUE / 2);
        // k = 31 + ceil(log2 pageVectors) and magic = ceil(2^k / pageVectors): for every ordinal below 2^31
        // the error of ordinal * magic / 2^k is below 1 / pageVectors, so its floor is the exact quotient,
        // and the product stays below 2^63
        this.pageMagicShift = 31 + (32 - Integer.numberOfLeadingZeros(pageVectors - 1));
        this.pageMagic = Math.ceilDiv(1L << pageMagicShift, pageVectors);
        if (euclid && dimension % DistanceKernels.BLOCK == 0) {
            this.normPages = new float[0][];
            this.allBlocks = new int[dimension / DistanceKernels.BLOCK];
            for (int b = 0; b < allBlocks.length; b++) {
                allBlocks[b] = b * DistanceKernels.BLOCK;
            }
        } else {
            this.allBlocks = null;
        }
    }

    private static long pageBytes() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                return Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or no jdk.management module: size pages as under other collectors
        }
        return 4L << 20;
    }

    /** Vectors per page for this dimension. */
    public int pageVectors() {
        return pageVectors;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** One more than the highest ordinal ever set. */
    @Override
    public int size() {
        return size;
    }

    /** Stores a copy of {@code vector} (already {@link VectorSimilarity#prepare prepared}) at {@code ordinal}. */
    @Override
    public void set(int ordinal, float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException(
                    "vector length must be " + dimension + ", got " + vector.length);
        }
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be non-negative, got " + ordinal);
        }
        ensureCapacity(ordinal + 1);
        float norm = allBlocks == null ? 0f : VectorKernels.dotBlocks(vector, 0, allBlocks, allBlocks.length, vector, 0);
        if (capacity < pageVectors) {
            synchronized (growLock) { // the first page may be replaced by a larger copy meanwhile
                System.arraycopy(vector, 0, pages[0], offset(ordinal), dimension);
                if (allBlocks != null) {
                    normPages[0][ordinal] = norm;
                }
            }
        } else {
            System.arraycopy(vector, 0, page(ordinal), offset(ordinal), dimension);
            if (allBlocks != null) {
                int page = pageOf(ordinal);
                normPages[page][ordinal - page * pageVectors] = norm;
            }
        }
        if (ordinal >= size) {
            synchronized (growLock) {
                if (ordinal >= size) {
                    size = ordinal + 1;
                }
            }
        }
    }

    /** Allocates room for ordinals below {@code vectors}, so setting any of them allocates nothing. */
    @Override
    public void reserve(int vectors) {
        ensureCapacity(vectors);
    }

    /** The page array holding {@code ordinal}'s vector. */
    public float[] page(int ordinal) {
        return pages[pageOf(ordinal)];
    }

    /** Where {@code ordinal}'s vector starts inside {@link #page}. */
    public int offset(int ordinal) {
        return LEAD + (ordinal - pageOf(ordinal) * pageVectors) * dimension;
    }

    /** {@code ordinal / pageVectors}, as a multiplication and a shift. */
    int pageOf(int ordinal) {
        return (int) ((ordinal * pageMagic) >>> pageMagicShift);
    }

    /** Whether the store keeps each vector's {@link #squaredNorm} (see {@link #scoredWith}). */
    public boolean keepsNorms() {
        return allBlocks != null;
    }

    /**
     * The squared norm of the vector at {@code ordinal} (as {@link DistanceKernels#dotBlocks}
     * over all its blocks computes it); only when {@link #keepsNorms}.
     */
    public float squaredNorm(int ordinal) {
        int page = pageOf(ordinal);
        return normPages[page][ordinal - page * pageVectors];
    }

    /** A fresh copy of the stored vector at {@code ordinal}. */
    public float[] get(int ordinal) {
        int off = offset(ordinal);
        return Arrays.copyOfRange(page(ordinal), off, off + dimension);
    }

    @Override
    public void read(int ordinal, float[] dst) {
        System.arraycopy(page(ordinal), offset(ordinal), dst, 0, dimension);
    }

    @Override
    public NodeScorer newScorer(VectorSimilarity similarity) {
        return new FloatNodeScorer(this, similarity);
    }

    /** Score of a prepared query against the stored vector at {@code ordinal}. */
    public float score(VectorSimilarity similarity, float[] query, int ordinal) {
        return similarity.score(query, 0, page(ordinal), offset(ordinal), dimension);
    }

    /** Score of two stored vectors. */
    public float score(VectorSimilarity similarity, int a, int b) {
        return similarity.score(page(a), offset(a), page(b), offset(b), dimension);
    }

    /** Bytes held by vector pages, and by their squared norms when the store {@link #keepsNorms}. */
    public long memoryBytes() {
        return (long) capacity * (dimension + (allBlocks == null ? 0 : 1)) * Float.BYTES;
    }

    @Override
    public long heapBytes() {
        return memoryBytes();
    }

    @Override
    public long mappedBytes() {
        return 0;
    }

    private void ensureCapacity(int vectors) {
        if (vectors <= capacity) {
            return;
        }
        synchronized (growLock) {
            if (vectors <= capacity) {
                return;
            }
            float[][] table = pages;
            if (vectors < pageVectors) {
                // the first page grows by doubling: a copy, published with a new table
                int grown = Math.min(pageVectors, Math.max(FIRST_PAGE_VECTORS, Integer.highestOneBit(vectors - 1) << 1));
                table = new float[][] {table.length == 0 ? new float[LEAD + grown * dimension]
                        : Arrays.copyOf(table[0], LEAD + grown * dimension)};
                if (allBlocks != null) {
                    normPages = new float[][] {normPages.length == 0 ? new float[grown] : Arrays.copyOf(normPages[0], grown)};
                }
                pages = table;
                allocatedPages = 1;
                capacity = grown;
                return;
            }
            int neededPages = (int) Math.ceilDiv((long) vectors, pageVectors);
            if (neededPages > table.length) {
                table = Arrays.copyOf(table, Math.max(neededPages, table.length * 2));
            } else {
                table = table.clone();
            }
            if (allocatedPages == 1 && table[0].length < LEAD + pageVectors * dimension) {
                table[0] = Arrays.copyOf(table[0], LEAD + pageVectors * dimension);
            }
            for (int p = allocatedPages; p < neededPages; p++) {
                table[p] = new float[LEAD + pageVectors * dimension];
            }
            if (allBlocks != null) {
                normPages = grownNorms(neededPages);
            }
            pages = table;
            allocatedPages = neededPages;
            capacity = neededPages * pageVectors;
        }
    }

    /** The norm pages for {@code neededPages} full pages: the old ones kept (the first made full), new ones added; under the growth lock. */
    private float[][] grownNorms(int neededPages) {
        float[][] norms = Arrays.copyOf(normPages, Math.max(neededPages, normPages.length));
        if (allocatedPages == 1 && norms[0].length < pageVectors) {
            norms[0] = Arrays.copyOf(norms[0], pageVectors);
        }
        for (int p = allocatedPages; p < neededPages; p++) {
            norms[p] = new float[pageVectors];
        }
        return norms;
    }
}
