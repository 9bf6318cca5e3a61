package dev.vdb.index;

import java.util.Arrays;

/**
 * Vectors of one dimension held in memory by dense ordinal, in pages ({@code float[]} slabs),
 * never one object per vector. Pages are sized by bytes: a power of two of vectors, at most
 * {@value #PAGE_VECTORS} and at most {@value #MAX_PAGE_FLOATS} floats (4 MiB), so the first
 * vector of a collection of dimension 65,536 allocates 4 MiB, not the 1 GiB of 4,096 vectors.
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

    /** Most vectors per page (what dimensions up to 256 get). */
    public static final int PAGE_VECTORS = 1 << 12;
    /** Most floats per page, whatever the dimension (a page of one vector may exceed it). */
    public static final int MAX_PAGE_FLOATS = 1 << 20;
    static final int FIRST_PAGE_VECTORS = 16;

    private final int dimension;
    /** Vectors per page: a power of two so that ordinal → page is a shift. */
    private final int pageVectors;
    private final int pageShift;
    private final int pageMask;
    private final Object growLock = new Object();
    private volatile float[][] pages = new float[0][];
    /** Pages allocated so far: a prefix of {@link #pages}; the rest of the table is null. */
    private volatile int allocatedPages;
    /** Vectors the allocated pages hold: below a page only while the first page grows. */
    private volatile int capacity;
    private volatile int size;

    public VectorStore(int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        this.dimension = dimension;
        this.pageVectors = Math.min(PAGE_VECTORS, Integer.highestOneBit(Math.max(1, MAX_PAGE_FLOATS / dimension)));
        this.pageShift = Integer.numberOfTrailingZeros(pageVectors);
        this.pageMask = pageVectors - 1;
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
        if (capacity < pageVectors) {
            synchronized (growLock) { // the first page may be replaced by a larger copy meanwhile
                System.arraycopy(vector, 0, pages[0], offset(ordinal), dimension);
            }
        } else {
            System.arraycopy(vector, 0, pages[ordinal >>> pageShift], offset(ordinal), dimension);
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
        return pages[ordinal >>> pageShift];
    }

    /** Where {@code ordinal}'s vector starts inside {@link #page}. */
    public int offset(int ordinal) {
        return (ordinal & pageMask) * dimension;
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

    /** Bytes held by vector pages. */
    public long memoryBytes() {
        return (long) capacity * dimension * Float.BYTES;
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
                int grown = Math.max(Math.min(FIRST_PAGE_VECTORS, pageVectors), Integer.highestOneBit(vectors - 1) << 1);
                table = new float[][] {table.length == 0 ? new float[grown * dimension] : Arrays.copyOf(table[0], grown * dimension)};
                pages = table;
                allocatedPages = 1;
                capacity = grown;
                return;
            }
            int neededPages = (int) (((long) vectors + pageMask) >>> pageShift);
            if (neededPages > table.length) {
                table = Arrays.copyOf(table, Math.max(neededPages, table.length * 2));
            } else {
                table = table.clone();
            }
            if (allocatedPages == 1 && table[0].length < pageVectors * dimension) {
                table[0] = Arrays.copyOf(table[0], pageVectors * dimension);
            }
            for (int p = allocatedPages; p < neededPages; p++) {
                table[p] = new float[pageVectors * dimension];
            }
            pages = table;
            allocatedPages = neededPages;
            capacity = neededPages * pageVectors;
        }
    }
}
