package dev.vdb.engine.text;

import dev.vdb.engine.HitExplanation;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.TextConfig;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.engine.recovery.LogReplay;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
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
 * <p>Derived state. A checkpoint and a clean close save a snapshot file
 * ({@link InvertedIndexFormat}: magic, version, CRC32C) by the derived-file protocol and record
 * its length, checksum and the last write it holds in RocksDB; {@link #open} loads the snapshot
 * when it checks out and replays the change log after that write (after a crash: the writes
 * since the last checkpoint), else (a missing, damaged or foreign file, a log truncated past it)
 * rebuilds the index from the texts in RocksDB. So a search never answers from a stale index
 * (docs/ARCHITECTURE.md gives the costs).
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
    /** What open did instead of loading the snapshot as saved, or null; set once by open. */
    private String rebuiltBecause;

    /** The BM25 list of one query, and the analysed query to explain its hits with. */
    public record Result(Bm25Query query, TextHits hits) {}

    private TextIndex(InvertedIndex index, Bm25Params params) {
        this.index = index;
        this.params = params;
    }

    /**
     * The collection's index: the snapshot in {@code file} when RocksDB recorded it and it
     * checks out (length, checksum, format, analyzer), brought up to date by replaying the
     * change log after the write it was saved at, and then every document a live ordinal; else
     * rebuilt from RocksDB with one log line.
     *
     * @param current the collection's last stored write
     */
    public static TextIndex open(String collection, TextConfig config, PointStore store, Path file, LiveOrdinals live,
                                 long current) {
        String problem;
        TextIndex text = null;
        DerivedFiles.FileState state = store.states().textIndexState();
        if (state == null) {
            problem = "no BM25 snapshot was recorded";
        } else {
            try {
                text = loadSnapshot(config, file, state);
                String replayed = replayLog(text, store, state.asOf(), current);
                text.checkLive(live);
                problem = null;
                text.rebuiltBecause = replayed;
            } catch (IOException | RuntimeException e) {
                text = null;
                problem = "the BM25 snapshot " + file.getFileName() + " is unusable (" + e.getMessage() + ")";
            }
        }
        if (text == null) {
            text = rebuild(config, store);
            text.rebuiltBecause = "rebuilt: " + problem;
            if (text.documents() > 0 || Files.exists(file)) {
                LOG.warn("collection '{}': {}; rebuilt the BM25 index from RocksDB ({} texts)", collection, problem,
                        text.documents());
            }
        }
        return text;
    }

    private static TextIndex loadSnapshot(TextConfig config, Path file, DerivedFiles.FileState state) throws IOException {
        DerivedFiles.verify(file, state);
        InvertedIndex index = InvertedIndexFormat.read(Files.readAllBytes(file));
        if (!index.analyzer().name().equals(config.analyzer())) {
            throw new IllegalArgumentException("analyzer " + index.analyzer().name() + ", not " + config.analyzer());
        }
        return new TextIndex(index, params(config));
    }

    /** Replays the change log after {@code savedAt}; returns what it did, or null when nothing was to do. */
    private static String replayLog(TextIndex text, PointStore store, long savedAt, long current) {
        if (savedAt == current) {
            return null;
        }
        LogReplay replay = LogReplay.after(store, savedAt);
        if (!replay.covers(savedAt, current)) {
            throw new IllegalArgumentException("the change log no longer reaches back to its save");
        }
        Analyzer analyzer = text.index.analyzer();
        replay.applyTo(new LogReplay.Target() {
            @Override
            public void remove(int ordinal) {
                text.index.delete(ordinal);
            }

            @Override
            public void add(int ordinal, PointId id, byte[] document) {
                String value = PointCodec.textOfDoc(document);
                if (value != null) {
                    text.index.putAnalyzed(ordinal, AnalyzedText.of(analyzer, value));
                }
            }
        }, store);
        return "replayed " + replay.entries().size() + " changes from the change log";
    }

    private void checkLive(LiveOrdinals live) {
        for (int ordinal = 0; ordinal <= index.maxOrdinal(); ordinal++) {
            if (index.contains(ordinal) && !live.get(ordinal)) {
                throw new IllegalArgumentException("it holds ordinal " + ordinal + ", which is not live");
            }
        }
    }

    /**
     * Why open did not load the snapshot as saved: null when it did, else whether it replayed
     * the change log or rebuilt the index (and why).
     */
    public String rebuiltBecause() {
        return rebuiltBecause;
    }

    /**
     * A snapshot of the index ({@link InvertedIndexFormat}), for a file written by the
     * derived-file protocol. The caller holds the collection's state read lock, so it is the
     * index of one published write.
     */
    public byte[] snapshot() {
        lock.readLock().lock();
        try {
            return InvertedIndexFormat.write(index);
        } finally {
            lock.readLock().unlock();
        }
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

    /** The best {@code k} documents for {@code text} among those {@code accept} admits, by BM25, within {@code deadline}. */
    public Result search(String text, int k, Bits accept, Deadline deadline) {
        lock.readLock().lock();
        try {
            Bm25Query query = Bm25Query.parse(index, text);
            Bm25Searcher searcher = borrowSearcher();
            try {
                return new Result(query, searcher.search(query, k, accept, deadline));
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
