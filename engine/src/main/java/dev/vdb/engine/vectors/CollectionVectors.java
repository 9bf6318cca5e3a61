package dev.vdb.engine.vectors;

import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.recovery.VectorFileState;
import dev.vdb.index.Deadline;
import dev.vdb.index.ExactSearch;
import dev.vdb.index.FullPrecisionVectors;
import dev.vdb.index.GraphVectors;
import dev.vdb.index.MappedVectorStore;
import dev.vdb.index.NodeScorer;
import dev.vdb.index.TopK;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.VectorStore;
import dev.vdb.index.quant.BinaryQuantizer;
import dev.vdb.index.quant.Int8Quantizer;
import dev.vdb.index.quant.QuantizedVectors;
import dev.vdb.index.quant.Quantizer;
import dev.vdb.index.quant.WholeNumberVectors;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;

/**
 * A loaded collection's vectors in their current {@link Representation}: without quantization,
 * float32 pages on the heap that the graph walks (as exact one-byte codes while every vector is
 * whole numbers in a byte's range, {@link WholeNumberVectors}); with it, codes on the heap that
 * the graph walks and full-precision vectors in a memory-mapped file ({@link MappedVectorStore})
 * that rescoring and exact search read. While {@link Requantizer} builds another representation,
 * that one is {@link #pending} and every write goes to both, so the switch loses nothing.
 *
 * <p><b>The mapped file across opens.</b> A checkpoint or a clean close calls {@link #syncFile}
 * with the next ordinal read while no write ran, and records the {@link VectorFileState} it
 * returns (the file's generation, that count) in RocksDB; the next load {@link #reopen}s the file
 * when the state matches its header and length, trusts the vectors below the count and reads
 * from RocksDB only the live ordinals at or past it. Why that is sound: an ordinal's vector never
 * changes once written (a changed vector takes a new ordinal, and ordinals are never handed out
 * twice, not even after a failed write: {@code LiveOrdinals.reserve} advances before the commit),
 * and every write sets its ordinals' vectors before it commits, under the writer lock; so when no
 * write runs, every ordinal below the next one holds its final bytes, the fsync makes them
 * durable, and no later write (in this process, or in a later one that reopens the file) touches
 * them. A crash after the record leaves those bytes as they were (a later write only dirties
 * ordinals past the count; a page shared with the last of them is rewritten with the same bytes),
 * and what lies past the count is cut off on reopen. {@link MappedVectorStore#create} truncates
 * and draws a new random generation, so a state recorded for an earlier file (before a rebuild, a
 * re-quantization, a drop and re-create) never matches a later one. The live set comes from the
 * {@code 'o'} keys, which a write updates in the batch that commits it. Any doubt (no state, a
 * header, dimension or length that differs, RocksDB naming a vector the file cannot hold): the
 * file is rebuilt from RocksDB. No checksum covers the vectors (one would mean reading the whole
 * file on every open): unlike the checksummed derived files, a vector damaged by something other
 * than a crash (a flipped bit, a hand edit) is not detected on open; {@code DatabaseCheck} (open) and
 * {@code VectorFileCheck} ({@code ./vdb check}, stopped) compare every vector with RocksDB's. The open does not look for two points sharing an ordinal (it reads
 * no {@code 'v'} record below the count): a file with a recorded state was made by a load that
 * scanned every {@code 'v'} record and repaired them, and no write since leaves one.
 *
 * <p>Thread safety: writes ({@link #reserve}, {@link #set}) run under the collection's writer
 * lock, as do the pending representation's start and the switch ({@link #publishPending}),
 * which also holds the state's write side: a search (under the read side) sees one
 * representation from start to end.
 */
public final class CollectionVectors implements AutoCloseable {

    /**
     * One way of holding the vectors.
     *
     * @param full the full-precision vectors
     * @param codes the codes the graph walks, or null when it walks {@code full} (a {@link VectorStore})
     * @param config the quantization the codes follow, or null
     * @param trainedOn how many vectors the quantizer was trained on
     * @param wholeNumbers without quantization, the exact codes of whole-number vectors beside
     *     {@code full} (null for cosine, and with quantization)
     */
    public record Representation(FullPrecisionVectors full, QuantizedVectors codes, QuantizationConfig config,
                                 int trainedOn, WholeNumberVectors wholeNumbers) {

        /** Full-precision vectors on the heap, without quantization: the graph walks them (or their exact codes). */
        public static Representation unquantized(VectorStore full, VectorSimilarity similarity) {
            return new Representation(full, null, null, 0, WholeNumberVectors.over(full, similarity));
        }

        /** Stores the prepared {@code vector} at {@code ordinal} in {@code full}, and its whole-number code. */
        void setFull(int ordinal, float[] vector) {
            full.set(ordinal, vector);
            if (wholeNumbers != null) {
                wholeNumbers.encode(ordinal, vector);
            }
        }

        /** What the HNSW graph's searches walk. */
        public GraphVectors graphVectors() {
            return codes != null ? codes : wholeNumbers != null ? wholeNumbers : (VectorStore) full;
        }

        /**
         * What inserts into the graph score with: the searched vectors, except that binary codes
         * (1 bit per dimension) build a poor graph, so a binary collection builds with its
         * full-precision vectors (as Qdrant does) and searches on the codes.
         */
        public GraphVectors insertVectors() {
            return config instanceof QuantizationConfig.Binary ? (GraphVectors) full : graphVectors();
        }
    }

    private final int dimension;
    private final VectorSimilarity similarity;
    private final Path mappedFile;
    private volatile Representation current;
    private volatile Representation pending;
    /**
     * The codes the last {@link #saveCodes} wrote or the load took back (weakly held: codes a
     * re-quantization replaced must not stay on the heap for this), and how many; only the load
     * and checkpoints use them.
     */
    private WeakReference<QuantizedVectors> savedCodes = new WeakReference<>(null);
    private int savedCount;

    private CollectionVectors(int dimension, VectorSimilarity similarity, Path mappedFile, Representation current) {
        this.dimension = dimension;
        this.similarity = similarity;
        this.mappedFile = mappedFile;
        this.current = current;
    }

    /**
     * Empty vectors for {@code quantization} (null: none) scored by {@code similarity}: heap
     * pages, or a mapped file at {@code mappedFile} and codes to be trained by {@link #quantize}
     * once loaded.
     */
    public static CollectionVectors create(int dimension, VectorSimilarity similarity, QuantizationConfig quantization,
                                           Path mappedFile) {
        Representation empty = quantization == null
                ? Representation.unquantized(VectorStore.scoredWith(dimension, similarity), similarity)
                : new Representation(MappedVectorStore.create(mappedFile, dimension), null, null, 0, null);
        return new CollectionVectors(dimension, similarity, mappedFile, empty);
    }

    /**
     * The vectors of a quantized collection in the file a checkpoint or close recorded as
     * {@code recorded}: its first {@code recorded.vectors()} are trusted as they are; the loader
     * sets the live ordinals past them from RocksDB, then {@link #quantize}s.
     *
     * @throws IOException naming why the file is not the recorded one
     */
    public static CollectionVectors reopen(int dimension, VectorSimilarity similarity, Path mappedFile,
                                           VectorFileState recorded) throws IOException {
        if (recorded.dimension() != dimension) {
            throw new IOException("its state was recorded for dimension " + recorded.dimension() + ", not " + dimension);
        }
        MappedVectorStore full = MappedVectorStore.reopen(mappedFile, dimension, recorded.generation(), recorded.vectors());
        return new CollectionVectors(dimension, similarity, mappedFile, new Representation(full, null, null, 0, null));
    }

    /**
     * Makes the mapped full-precision file durable and returns the state to record in RocksDB, or
     * null when the current vectors are not in a file (unquantized, or closed meanwhile).
     *
     * @param written an ordinal below which every vector is written for good: the next ordinal,
     *     read while no write ran
     */
    public VectorFileState syncFile(int written) {
        if (!(current.full() instanceof MappedVectorStore mapped)) {
            return null;
        }
        int durable = Math.min(written, mapped.size()); // past its size: ordinals never set (a failed write's)
        return mapped.sync() ? new VectorFileState(mapped.generation(), durable, dimension) : null;
    }

    /**
     * The codes of {@code quantization} for every stored vector: the load's last step, before the
     * graph opens. Takes back the codes a checkpoint or close saved in {@code codesFile} (as
     * {@code codesState} recorded) and encodes only the vectors past them; without usable saved
     * codes, trains the quantizer on {@code sample} (live ordinals) and encodes every vector. Null
     * keeps floats.
     *
     * @return null when every code was taken back (or there are no vectors), else what was
     *     encoded and why (for {@code CollectionDiagnostics})
     */
    public String quantize(QuantizationConfig quantization, int[] sample, Path codesFile,
                           DerivedFiles.FileState codesState) {
        if (quantization == null) {
            return null;
        }
        Representation r = current;
        int stored = r.full().size();
        String problem = "no codes were saved";
        if (codesState != null && r.full() instanceof MappedVectorStore mapped) {
            try {
                SavedCodes.Loaded saved = SavedCodes.read(codesFile, codesState, quantization, similarity, dimension,
                        mapped.generation());
                if (saved.count() > stored) {
                    throw new IOException("it holds " + saved.count() + " codes for " + stored + " vectors");
                }
                encodeAll(r.full(), saved.codes(), saved.count(), stored, () -> false);
                current = new Representation(r.full(), saved.codes(), quantization, saved.trainedOn(), null);
                savedCodes = new WeakReference<>(saved.codes());
                savedCount = saved.count();
                return saved.count() == stored ? null
                        : "encoded " + (stored - saved.count()) + " vectors written after the codes were saved";
            } catch (IOException e) {
                problem = "the saved codes are unusable: " + e.getMessage();
            }
        }
        QuantizedVectors codes = new QuantizedVectors(train(r.full(), quantization, sample));
        encodeAll(r.full(), codes, 0, stored, () -> false);
        current = new Representation(r.full(), codes, quantization, sample.length, null);
        return stored == 0 ? null : "encoded every vector: " + problem;
    }

    /**
     * Saves the current codes of the ordinals below {@code written} (see {@link #syncFile}) to
     * {@code codesFile} when they differ from what was saved last (other codes, or more of them),
     * and returns the state to record in RocksDB; null when there was nothing new to save or the
     * collection is not quantized. Called by one checkpoint at a time.
     */
    public DerivedFiles.FileState saveCodes(Path codesFile, int written) throws IOException {
        Representation r = current;
        if (r.codes() == null || !(r.full() instanceof MappedVectorStore mapped)) {
            return null;
        }
        int count = Math.min(written, r.codes().size());
        if (r.codes() == savedCodes.get() && count <= savedCount) {
            return null;
        }
        DerivedFiles.FileState state = SavedCodes.write(codesFile, r.codes(), r.config(), r.trainedOn(),
                mapped.generation(), count);
        savedCodes = new WeakReference<>(r.codes());
        savedCount = count;
        return state;
    }

    /** A quantizer for {@code quantization} trained on {@code sample} (live ordinals) of {@code full}. */
    Quantizer train(FullPrecisionVectors full, QuantizationConfig quantization, int[] sample) {
        return switch (quantization) {
            case QuantizationConfig.Scalar s -> Int8Quantizer.train(full, sample, s.quantile());
            case QuantizationConfig.Binary b -> BinaryQuantizer.train(full, sample, similarity);
        };
    }

    /**
     * Encodes ordinals {@code [from, to)} of {@code full} into {@code codes}; false when {@code stop}
     * said so first.
     */
    static boolean encodeAll(FullPrecisionVectors full, QuantizedVectors codes, int from, int to,
                             java.util.function.BooleanSupplier stop) {
        codes.reserve(to);
        float[] v = new float[full.dimension()];
        for (int ordinal = from; ordinal < to; ordinal++) {
            if ((ordinal & 1023) == 0 && stop.getAsBoolean()) {
                return false;
            }
            full.read(ordinal, v);
            codes.set(ordinal, v);
        }
        return true;
    }

    public int dimension() {
        return dimension;
    }

    public VectorSimilarity similarity() {
        return similarity;
    }

    public Representation current() {
        return current;
    }

    /** The full-precision vectors. */
    public FullPrecisionVectors full() {
        return current.full();
    }

    /**
     * Offers every ordinal of the set {@code words} to {@code top}, scored exactly against the
     * prepared {@code query}: by the whole-number codes while every vector and the query are
     * whole numbers in their range (the same scores from a quarter of the bytes), else by the
     * full-precision vectors. Checks {@code deadline} as {@link ExactSearch} does.
     */
    public void scanExactly(float[] query, long[] words, TopK top, Deadline deadline) {
        Representation r = current;
        NodeScorer codes = r.wholeNumbers() == null ? null : r.wholeNumbers().exactCodeScorer(similarity, query);
        if (codes != null) {
            ExactSearch.search(codes, words, top, deadline);
        } else {
            ExactSearch.search(r.full(), similarity, query, words, top, false, deadline);
        }
    }

    /** The codes the graph walks, or null without quantization. */
    public QuantizedVectors codes() {
        return current.codes();
    }

    /** What the HNSW graph walks now. */
    public GraphVectors graphVectors() {
        return current.graphVectors();
    }

    /** Where a mapped full-precision file lives. */
    Path mappedFile() {
        return mappedFile;
    }

    /** Makes room for ordinals below {@code vectors} (in the pending representation too). Under the writer lock. */
    public void reserve(int vectors) {
        reserve(current, vectors);
        Representation p = pending;
        if (p != null) {
            reserve(p, vectors);
        }
    }

    private static void reserve(Representation r, int vectors) {
        r.full().reserve(vectors);
        if (r.codes() != null) {
            r.codes().reserve(vectors);
        }
    }

    /** Stores the prepared {@code vector} at {@code ordinal} (in the pending representation too). Under the writer lock. */
    public void set(int ordinal, float[] vector) {
        Representation r = current;
        set(r, ordinal, vector, null);
        Representation p = pending;
        if (p != null) {
            set(p, ordinal, vector, r.full());
        }
    }

    private static void set(Representation r, int ordinal, float[] vector, FullPrecisionVectors alreadySet) {
        if (r.full() != alreadySet) {
            r.setFull(ordinal, vector);
        }
        if (r.codes() != null) {
            r.codes().set(ordinal, vector);
        }
    }

    /** Starts mirroring writes into {@code next}; returns the ordinals it still needs copied. Under the writer lock. */
    int startPending(Representation next) {
        pending = next;
        return current.full().size();
    }

    /** Makes {@code pending} current; returns the replaced one. Under the writer lock and the state's write side. */
    Representation publishPending() {
        Representation old = current;
        current = pending;
        pending = null;
        return old;
    }

    /**
     * Whether the current representation keeps whole-number codes that a stored vector retired
     * ({@link WholeNumberVectors#active}): the graph should then walk the floats themselves.
     */
    public boolean hasRetiredWholeNumbers() {
        WholeNumberVectors codes = current.wholeNumbers();
        return codes != null && !codes.active();
    }

    /**
     * Makes the current representation walk its floats without the retired whole-number codes'
     * scorer in between; returns it. While loading (nothing published yet), or under the writer
     * lock and the state's write side, the caller pointing the graph at it.
     */
    public Representation dropRetiredWholeNumbers() {
        Representation r = current;
        if (hasRetiredWholeNumbers()) {
            current = new Representation(r.full(), r.codes(), r.config(), r.trainedOn(), null);
        }
        return current;
    }

    /** Drops the pending representation (a build that stopped). Under the writer lock. */
    void dropPending() {
        pending = null;
    }

    /** Unmaps the mapped full-precision file, if any (the file stays). No call may use the vectors afterwards. */
    @Override
    public void close() {
        if (current.full() instanceof MappedVectorStore mapped) {
            mapped.close();
        }
    }
}
