package dev.vdb.engine.text;

import dev.vdb.engine.HitExplanation;
import dev.vdb.engine.Point;
import dev.vdb.engine.TextConfig;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.index.Bits;
import dev.vdb.index.text.AnalyzedText;
import dev.vdb.index.text.Analyzer;
import dev.vdb.index.text.Bm25Explanation;
import dev.vdb.index.text.Bm25Params;
import dev.vdb.index.text.Bm25Query;
import dev.vdb.index.text.Bm25Searcher;
import dev.vdb.index.text.InvertedIndex;
import dev.vdb.index.text.InvertedIndexFormat;
import dev.vdb.index.text.TextHits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection's full-text index: an {@link InvertedIndex} of the points' texts keyed by the
 * point's live ordinal, with BM25 ({@link Bm25Searcher}, MaxScore) as the collection's
 * {@link TextConfig} sets it. A point without text is not in the index; a point with an empty
 * text (or only stop words) is a document of length 0, which BM25's {@code docCount} leaves out
 * as Lucene does.
 *
 * <p>Derived state. A clean close saves a snapshot file ({@link InvertedIndexFormat}: magic,
 * version, CRC32C) and then records its length and checksum in RocksDB ({@link SnapshotState});
 * {@link #open} loads the snapshot only when RocksDB says it was written at a clean close and it
 * passes every check, and marks it open (unclean) before any write can happen. Otherwise (a
 * crash, a missing, damaged or foreign file) it rebuilds the index from the texts in RocksDB. So
 * a search never answers from a stale index (docs/ARCHITECTURE.md gives both costs).
 *
 * <p>Thread safety: a read-write lock. Searches and explanations hold the read side and run
 * concurrently; {@link #apply} and {@link #delete} hold the write side, so each call's batch
 * is seen whole or not at all and the statistics are exact at every moment. Analysis
 * ({@link #analyse}) takes no lock and runs before the writer's critical section. The
 * collection additionally applies changes while it publishes its live set, so a search sees the
 * text index and the live ordinals of the same moment. Each search borrows a searcher (its heap
 * and accumulators) from a small bounded pool; it allocates its result and per-query arrays.
 */
public final class TextIndex {

    private static final Logger LOG = LoggerFactory.getLogger(TextIndex.class);
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    /** Texts analysed per parallel step of a rebuild. */
    private static final int REBUILD_CHUNK = 4_096;

    private final InvertedIndex index;
    private final Bm25Params params;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final BlockingQueue<Bm25Searcher> searchers = new ArrayBlockingQueue<>(2 * THREADS);
    /** Why open rebuilt the index instead of loading the snapshot, or null; set once by open. */
    private String rebuiltBecause;

    /** The BM25 list of one query, and the analysed query to explain its hits with. */
    public record Result(Bm25Query query, TextHits hits) {}

    private TextIndex(InvertedIndex index, Bm25Params params) {
        this.index = index;
        this.params = params;
    }

    /**
     * What RocksDB remembers of the snapshot file: whether it was written at a clean close and,
     * if so, its length and its CRC32C trailer.
     */
    public record SnapshotState(boolean clean, long length, long crc) {
        private static final byte FORMAT = 1;
        /** Recorded on open, before any write: the snapshot file is stale from now on. */
        static final SnapshotState OPEN = new SnapshotState(false, 0, 0);

        public byte[] encode() {
            return ByteBuffer.allocate(18).put(FORMAT).put((byte) (clean ? 1 : 0)).putLong(length).putLong(crc).array();
        }

        /** The decoded state, or null when the bytes are not a known format. */
        public static SnapshotState decode(byte[] bytes) {
            if (bytes == null || bytes.length != 18 || bytes[0] != FORMAT) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            return new SnapshotState(buf.get(1) == 1, buf.getLong(2), buf.getLong(10));
        }
    }

    /**
     * The collection's index: the snapshot in {@code file} when RocksDB recorded it at a clean
     * close and it checks out (analyzer, checksum, every document a live ordinal), else rebuilt
     * from RocksDB with one log line. Records the snapshot as stale before returning.
     */
    public static TextIndex open(String collection, TextConfig config, PointStore store, Path file, LiveOrdinals live) {
        String problem;
        TextIndex text = null;
        SnapshotState state = store.textIndexState();
        if (state == null) {
            problem = "no BM25 snapshot was recorded";
        } else if (!state.clean()) {
            problem = "the BM25 snapshot was not saved at a clean close";
        } else {
            try {
                text = loadSnapshot(config, file, state, live);
                problem = null;
            } catch (IOException | RuntimeException e) {
                problem = "the BM25 snapshot " + file.getFileName() + " is unusable (" + e.getMessage() + ")";
            }
        }
        if (text == null) {
            text = rebuild(config, store);
            text.rebuiltBecause = problem;
            if (text.documents() > 0 || Files.exists(file)) {
                LOG.warn("collection '{}': {}; rebuilt the BM25 index from RocksDB ({} texts)", collection, problem,
                        text.documents());
            }
        }
        store.recordTextIndexState(SnapshotState.OPEN);
        return text;
    }

    private static TextIndex loadSnapshot(TextConfig config, Path file, SnapshotState state, LiveOrdinals live)
            throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long trailer = bytes.length < 8 ? 0 : ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (bytes.length != state.length() || trailer != state.crc()) {
            throw new IllegalArgumentException(String.format("it is not the file recorded at the last close (%d bytes, "
                    + "checksum %x; recorded %d bytes, checksum %x)", bytes.length, trailer, state.length(), state.crc()));
        }
        InvertedIndex index = InvertedIndexFormat.read(bytes);
        if (!index.analyzer().name().equals(config.analyzer())) {
            throw new IllegalArgumentException("analyzer " + index.analyzer().name() + ", not " + config.analyzer());
        }
        for (int ordinal = 0; ordinal <= index.maxOrdinal(); ordinal++) {
            if (index.contains(ordinal) && !live.get(ordinal)) {
                throw new IllegalArgumentException("it holds ordinal " + ordinal + ", which is not live");
            }
        }
        return new TextIndex(index, params(config));
    }

    /** Why open rebuilt the index instead of loading the snapshot, or null when it loaded it. */
    public String rebuiltBecause() {
        return rebuiltBecause;
    }

    /**
     * Writes a snapshot to {@code file} atomically (temp file, fsync, rename) and returns the
     * state to record in RocksDB once it is durable. Must not overlap writes (the collection
     * calls it while closing).
     */
    public SnapshotState save(Path file) throws IOException {
        byte[] bytes;
        lock.readLock().lock();
        try {
            bytes = InvertedIndexFormat.write(index);
        } finally {
            lock.readLock().unlock();
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new SnapshotState(true, bytes.length, ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong());
    }

    /**
     * The index of every stored text of a collection, analysed on every core in chunks of
     * {@value #REBUILD_CHUNK}.
     */
    private static TextIndex rebuild(TextConfig config, PointStore store) {
        TextIndex text = new TextIndex(new InvertedIndex(Analyzer.named(config.analyzer())), params(config));
        int[] ordinals = new int[REBUILD_CHUNK];
        String[] texts = new String[REBUILD_CHUNK];
        int[] n = {0};
        store.forEachDocument((id, ordinal, document) -> {
            String value = PointCodec.textOfDoc(document);
            if (value == null) {
                return;
            }
            ordinals[n[0]] = ordinal;
            texts[n[0]++] = value;
            if (n[0] == REBUILD_CHUNK) {
                text.addChunk(ordinals, texts, n[0]);
                n[0] = 0;
            }
        });
        text.addChunk(ordinals, texts, n[0]);
        return text;
    }

    private void addChunk(int[] ordinals, String[] texts, int n) {
        Analyzer analyzer = index.analyzer();
        AnalyzedText[] analysed = new AnalyzedText[n];
        IntStream.range(0, n).parallel().forEach(i -> analysed[i] = AnalyzedText.of(analyzer, texts[i]));
        lock.writeLock().lock();
        try {
            for (int i = 0; i < n; i++) {
                index.putAnalyzed(ordinals[i], analysed[i]);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static Bm25Params params(TextConfig config) {
        return new Bm25Params(config.k1(), config.b());
    }

    /** Each point's analysed text, null for a point without text. Thread-safe, takes no lock. */
    public AnalyzedText[] analyse(List<Point> points) {
        AnalyzedText[] analysed = new AnalyzedText[points.size()];
        for (int i = 0; i < analysed.length; i++) {
            String text = points.get(i).text();
            analysed[i] = text == null ? null : AnalyzedText.of(index.analyzer(), text);
        }
        return analysed;
    }

    /**
     * Applies an upsert batch: point {@code i} had {@code oldOrdinals[i]} (-1 when new) and now
     * has {@code newOrdinals[i]} (the same ordinal when its vector was kept) and text
     * {@code texts[i]} (null: none). The old ordinal's text goes, the new ordinal's is replaced.
     */
    public void apply(AnalyzedText[] texts, int[] oldOrdinals, int[] newOrdinals) {
        lock.writeLock().lock();
        try {
            for (int i = 0; i < texts.length; i++) {
                if (oldOrdinals[i] >= 0 && oldOrdinals[i] != newOrdinals[i]) {
                    index.delete(oldOrdinals[i]);
                }
                if (texts[i] == null) {
                    index.delete(newOrdinals[i]);
                } else {
                    index.putAnalyzed(newOrdinals[i], texts[i]);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the texts of deleted points. */
    public void delete(int[] ordinals) {
        lock.writeLock().lock();
        try {
            for (int ordinal : ordinals) {
                index.delete(ordinal);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The best {@code k} documents for {@code text} among those {@code accept} admits, by BM25. */
    public Result search(String text, int k, Bits accept) {
        lock.readLock().lock();
        try {
            Bm25Query query = Bm25Query.parse(index, text);
            Bm25Searcher searcher = borrowSearcher();
            try {
                return new Result(query, searcher.search(query, k, accept));
            } finally {
                searchers.offer(searcher);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A pooled searcher, or a new one when the pool is empty; give it back with {@code searchers.offer}. */
    private Bm25Searcher borrowSearcher() {
        Bm25Searcher searcher = searchers.poll();
        return searcher != null ? searcher : new Bm25Searcher(index, params);
    }

    /** Each term's contribution to the BM25 score of {@code ordinal} for {@code query}. */
    public List<HitExplanation.TermScore> explain(Bm25Query query, int ordinal) {
        Bm25Explanation explanation;
        lock.readLock().lock();
        Bm25Searcher searcher = borrowSearcher();
        try {
            explanation = searcher.explain(query, ordinal);
        } finally {
            searchers.offer(searcher);
            lock.readLock().unlock();
        }
        List<HitExplanation.TermScore> terms = new ArrayList<>(explanation.terms().size());
        for (Bm25Explanation.TermContribution t : explanation.terms()) {
            terms.add(new HitExplanation.TermScore(t.term(), t.freq(), t.docFreq(), t.idf(), t.score()));
        }
        return terms;
    }

    /** Points with a text (empty ones included). */
    public int documents() {
        lock.readLock().lock();
        try {
            return index.documents();
        } finally {
            lock.readLock().unlock();
        }
    }
}
