package dev.vdb.engine;

import dev.vdb.index.Bits;
import dev.vdb.index.text.AnalyzedText;
import dev.vdb.index.text.Analyzer;
import dev.vdb.index.text.Bm25Explanation;
import dev.vdb.index.text.Bm25Params;
import dev.vdb.index.text.Bm25Query;
import dev.vdb.index.text.Bm25Searcher;
import dev.vdb.index.text.InvertedIndex;
import dev.vdb.index.text.TextHits;
import dev.vdb.index.text.TextStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * A collection's full-text index: an {@link InvertedIndex} of the points' texts keyed by the
 * point's live ordinal, with BM25 ({@link Bm25Searcher}, MaxScore) as the collection's
 * {@link TextConfig} sets it. A point without text is not in the index; a point with an empty
 * text (or only stop words) is a document of length 0, which BM25's {@code docCount} leaves out
 * as Lucene does.
 *
 * <p>Derived state, rebuilt from the texts in RocksDB every time the collection opens
 * ({@link #rebuild}), so it can never be stale after a crash (docs/ARCHITECTURE.md gives the
 * cost and why there is no snapshot file yet).
 *
 * <p>Thread safety: a read-write lock. Searches and explanations hold the read side and run
 * concurrently; {@link #apply} and {@link #delete} hold the write side, so each call's batch
 * is seen whole or not at all and the statistics are exact at every moment. Analysis
 * ({@link #analyse}) takes no lock and runs before the writer's critical section. The
 * collection additionally applies changes while it publishes its live set, so a search sees the
 * text index and the live ordinals of the same moment. Each search borrows a searcher (its heap
 * and accumulators) from a small bounded pool; it allocates its result and per-query arrays.
 */
final class TextIndex {

    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    /** Texts analysed per parallel step of a rebuild. */
    private static final int REBUILD_CHUNK = 4_096;

    private final InvertedIndex index;
    private final Bm25Params params;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final BlockingQueue<Bm25Searcher> searchers = new ArrayBlockingQueue<>(2 * THREADS);

    /** The BM25 list of one query, and the analysed query to explain its hits with. */
    record Result(Bm25Query query, TextHits hits) {}

    private TextIndex(InvertedIndex index, Bm25Params params) {
        this.index = index;
        this.params = params;
    }

    /** An empty index for {@code config}. */
    static TextIndex empty(TextConfig config) {
        return new TextIndex(new InvertedIndex(Analyzer.named(config.analyzer())), params(config));
    }

    /**
     * The index of every stored text of a collection, analysed on every core in chunks of
     * {@value #REBUILD_CHUNK}.
     */
    static TextIndex rebuild(TextConfig config, PointStore store) {
        TextIndex text = empty(config);
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
    AnalyzedText[] analyse(List<Point> points) {
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
    void apply(AnalyzedText[] texts, int[] oldOrdinals, int[] newOrdinals) {
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
    void delete(int[] ordinals) {
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
    Result search(String text, int k, Bits accept) {
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
    List<HitExplanation.TermScore> explain(Bm25Query query, int ordinal) {
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

    /** Documents with at least one term and their total length, as BM25 uses them. */
    TextStatistics statistics() {
        lock.readLock().lock();
        try {
            return index.statistics();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Points whose text holds the analysed {@code term}. */
    int docFreq(String term) {
        lock.readLock().lock();
        try {
            return index.docFreq(term);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Points with a text (empty ones included). */
    int documents() {
        lock.readLock().lock();
        try {
            return index.documents();
        } finally {
            lock.readLock().unlock();
        }
    }
}
