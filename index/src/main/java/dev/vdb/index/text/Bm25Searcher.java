package dev.vdb.index.text;

import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.TopK;
import java.util.ArrayList;
import java.util.List;

/**
 * Ranks the documents of an {@link InvertedIndex} for a {@link Bm25Query} by BM25, equal to
 * Lucene's BM25Similarity (see {@link Bm25Weights}), returning the top k best first with ties
 * broken by smaller ordinal, as Lucene breaks them by smaller doc id.
 *
 * <p>{@link #search} is MaxScore over windows of {@value #WINDOW} ordinals (as Lucene's
 * MaxScoreBulkScorer): query terms sorted by their upper bound (the best score each reaches,
 * exact from the posting impacts); once the k-th best score beats the sum of the smallest bounds,
 * those terms become non-essential. In each window the essential terms are scored term at a time
 * into the window's accumulators; only the documents they match are candidates, completed with
 * the non-essential terms (by skipping in their postings) and dropped as soon as their partial
 * score plus the remaining bounds cannot beat the k-th score. {@link #searchTermAtATime} scores every
 * matching document into primitive accumulators; both return the same hits.
 *
 * <p>Term scores are summed in double and the sum rounded to float once.
 *
 * <p>Not thread-safe: one searcher per thread; it owns its scratch (heap, accumulators) and
 * allocates only per-query arrays sized by the number of query terms, and the result.
 */
public final class Bm25Searcher {

    /** Bound sums are compared with this slack so double/float rounding never drops a competitive document. */
    private static final double BOUND_SLACK = 1e-6;

    /** Documents per MaxScore window (a power of two, a multiple of 64). */
    private static final int WINDOW = 4096;

    private final InvertedIndex index;
    private final Bm25Params params;
    private final TopK top = new TopK(1);
    private final double[] windowScores = new double[WINDOW];
    private final long[] windowMatches = new long[WINDOW / 64];
    private double[] accumulators = new double[0];
    private boolean[] touched = new boolean[0];
    private int[] touchedOrdinals = new int[0];

    public Bm25Searcher(InvertedIndex index, Bm25Params params) {
        if (index == null || params == null) {
            throw new IllegalArgumentException("index and params: must not be null");
        }
        this.index = index;
        this.params = params;
    }

    /** The best {@code k} documents accepted by {@code accept}, by MaxScore. */
    public TextHits search(Bm25Query query, int k, Bits accept) {
        return search(query, k, accept, Deadline.NONE);
    }

    /**
     * As {@link #search(Bm25Query, int, Bits)}, checking {@code deadline} before each window of
     * {@value #WINDOW} ordinals (the window's scratch is clean then, so the searcher stays usable).
     *
     * @throws dev.vdb.index.DeadlineExceededException when the deadline passed
     */
    public TextHits search(Bm25Query query, int k, Bits accept, Deadline deadline) {
        checkArguments(k, accept);
        top.reset(Math.min(k, Math.max(1, index.documents()))); // never more hits than documents
        int n = query.size();
        if (n == 0) {
            return drain();
        }
        Bm25Weights weights = new Bm25Weights(index, params, query);
        // Terms by ascending upper bound; prefix[i] = sum of the bounds of terms 0..i.
        int[] order = sortByUpperBound(weights.upperBound);
        PostingList[] lists = new PostingList[n];
        int[] cursor = new int[n];
        double[] prefix = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            lists[i] = index.postings(query.termIds()[order[i]]);
            sum += weights.upperBound[order[i]];
            prefix[i] = sum;
        }
        int firstEssential = 0;
        int last = index.maxOrdinal();
        for (long start = 0; start <= last; start += WINDOW) {
            deadline.check();
            int windowStart = (int) start;
            if (top.isFull()) {
                double threshold = top.worstScore();
                while (firstEssential < n && prefix[firstEssential] * (1 + BOUND_SLACK) < threshold) {
                    firstEssential++;
                }
                if (firstEssential == n) {
                    break; // no document can beat the k-th score any more
                }
            }
            long windowEnd = start + WINDOW;
            // Essential terms, term at a time into the window's accumulators.
            for (int i = firstEssential; i < n; i++) {
                PostingList list = lists[i];
                int t = order[i];
                int c = cursor[i];
                for (int size = list.size(); c < size; c++) {
                    int doc = list.ordinal(c);
                    if (doc >= windowEnd) {
                        break;
                    }
                    int slot = doc - windowStart;
                    windowScores[slot] += weights.score(t, list.freq(c), index.norm(doc));
                    windowMatches[slot >>> 6] |= 1L << slot;
                }
                cursor[i] = c;
            }
            // Candidates in ordinal order: complete with non-essential terms while still competitive.
            for (int word = 0; word < windowMatches.length; word++) {
                long bits = windowMatches[word];
                windowMatches[word] = 0;
                while (bits != 0) {
                    int slot = (word << 6) | Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    double score = windowScores[slot];
                    windowScores[slot] = 0;
                    int doc = windowStart + slot;
                    if (!accept.get(doc)) {
                        continue;
                    }
                    boolean competitive = true;
                    for (int i = firstEssential - 1; i >= 0; i--) {
                        if (top.isFull() && (score + prefix[i]) * (1 + BOUND_SLACK) < top.worstScore()) {
                            competitive = false;
                            break;
                        }
                        PostingList list = lists[i];
                        int c = list.advance(cursor[i], doc);
                        cursor[i] = c;
                        if (c < list.size() && list.ordinal(c) == doc) {
                            score += weights.score(order[i], list.freq(c), index.norm(doc));
                        }
                    }
                    if (competitive) {
                        top.offer((float) score, doc);
                    }
                }
            }
        }
        return drain();
    }

    /** The best {@code k} documents accepted by {@code accept}, scoring every match term by term. */
    public TextHits searchTermAtATime(Bm25Query query, int k, Bits accept) {
        checkArguments(k, accept);
        top.reset(Math.min(k, Math.max(1, index.documents()))); // never more hits than documents
        if (query.size() == 0) {
            return drain();
        }
        Bm25Weights weights = new Bm25Weights(index, params, query);
        int capacity = index.maxOrdinal() + 1;
        if (accumulators.length < capacity) {
            accumulators = new double[capacity];
            touched = new boolean[capacity];
            touchedOrdinals = new int[capacity];
        }
        int touchedCount = 0;
        for (int t = 0; t < query.size(); t++) {
            PostingList list = index.postings(query.termIds()[t]);
            for (int i = 0; i < list.size(); i++) {
                int doc = list.ordinal(i);
                if (!touched[doc]) {
                    touched[doc] = true;
                    touchedOrdinals[touchedCount++] = doc;
                }
                accumulators[doc] += weights.score(t, list.freq(i), index.norm(doc));
            }
        }
        for (int i = 0; i < touchedCount; i++) {
            int doc = touchedOrdinals[i];
            if (accept.get(doc)) {
                top.offer((float) accumulators[doc], doc);
            }
            accumulators[doc] = 0;
            touched[doc] = false;
        }
        return drain();
    }

    /** Each query term's contribution to document {@code ordinal}'s score. */
    public Bm25Explanation explain(Bm25Query query, int ordinal) {
        List<Bm25Explanation.TermContribution> terms = new ArrayList<>();
        double score = 0;
        if (query.size() > 0 && index.contains(ordinal)) {
            Bm25Weights weights = new Bm25Weights(index, params, query);
            int docCount = index.statistics().docCount();
            byte norm = index.norm(ordinal);
            for (int t = 0; t < query.size(); t++) {
                int freq = index.freq(ordinal, query.termIds()[t]);
                if (freq == 0) {
                    continue;
                }
                float contribution = weights.score(t, freq, norm);
                score += contribution;
                terms.add(new Bm25Explanation.TermContribution(query.terms()[t], query.boosts()[t], weights.idf[t],
                        weights.docFreq[t], docCount, freq, index.length(ordinal), Bm25Weights.decodedLength(norm),
                        weights.avgdl, contribution));
            }
        }
        return new Bm25Explanation(ordinal, (float) score, terms);
    }

    private static void checkArguments(int k, Bits accept) {
        if (k <= 0) {
            throw new IllegalArgumentException("k: must be > 0, got " + k);
        }
        if (accept == null) {
            throw new IllegalArgumentException("accept: must not be null (use Bits.ALL)");
        }
    }

    /** Indexes of {@code bounds} sorted by ascending bound (insertion sort: queries are short). */
    private static int[] sortByUpperBound(float[] bounds) {
        int[] order = new int[bounds.length];
        for (int i = 0; i < order.length; i++) {
            int j = i;
            while (j > 0 && bounds[order[j - 1]] > bounds[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    /** The kept hits, best first; empties {@link #top}. */
    private TextHits drain() {
        int[] ordinals = new int[top.size()];
        float[] scores = new float[ordinals.length];
        top.drainBestFirst(ordinals, scores);
        return new TextHits(ordinals, scores);
    }
}
