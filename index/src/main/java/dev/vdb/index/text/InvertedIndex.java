package dev.vdb.index.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.Object2IntHashMap;

/**
 * The full-text index of one collection: for each term its {@link PostingList}, for each document
 * (a dense int ordinal) its terms with frequencies, its length and its one-byte
 * {@link LengthNorm length norm}, and the {@link TextStatistics} BM25 needs. Documents are
 * added, replaced and deleted one at a time and every statistic is exact after each call, so an
 * index that saw deletes and re-adds equals a fresh index of the same documents.
 *
 * <p>Persisted with {@link InvertedIndexFormat} or rebuilt from (ordinal, text) pairs. Term ids are
 * internal and are not kept stable across a rebuild.
 *
 * <p>Not thread-safe: one writer at a time; searches may run concurrently with each other but
 * not with a write (the engine guards the index with a read-write lock).
 */
public final class InvertedIndex {

    private static final int[] NO_INTS = new int[0];

    private final Analyzer analyzer;
    private final Object2IntHashMap<String> termIds = new Object2IntHashMap<>(-1);
    private final List<String> terms = new ArrayList<>();
    private final List<PostingList> postings = new ArrayList<>();

    /** Per ordinal: term ids (null when the document is absent) and their frequencies. */
    private int[][] docTerms = new int[16][];
    private int[][] docFreqs = new int[16][];
    private int[] docLengths = new int[16];
    private byte[] norms = new byte[16];

    private int documents;
    private int docCount;
    private long sumTotalTermFreq;
    private int maxOrdinal = -1;

    /** An empty index whose texts are analysed by {@code analyzer}. */
    public InvertedIndex(Analyzer analyzer) {
        if (analyzer == null) {
            throw new IllegalArgumentException("analyzer: must not be null");
        }
        this.analyzer = analyzer;
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    /**
     * Indexes {@code text} as document {@code ordinal}, replacing what that ordinal held.
     *
     * @throws IllegalArgumentException if {@code ordinal} is negative or {@code text} is null
     */
    public void put(int ordinal, CharSequence text) {
        if (text == null) {
            throw new IllegalArgumentException("text: must not be null (ordinal " + ordinal + ")");
        }
        putAnalyzed(ordinal, AnalyzedText.of(analyzer, text));
    }

    /**
     * Indexes an already-analysed text (e.g. read back from storage) as document {@code ordinal},
     * replacing what that ordinal held. It must come from this index's analyzer.
     *
     * @throws IllegalArgumentException if {@code ordinal} is negative or {@code text} is null
     */
    public void putAnalyzed(int ordinal, AnalyzedText text) {
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal: must be >= 0, got " + ordinal);
        }
        if (text == null) {
            throw new IllegalArgumentException("text: must not be null (ordinal " + ordinal + ")");
        }
        delete(ordinal);
        int n = text.terms().length;
        long[] idAndSlot = new long[n];
        for (int i = 0; i < n; i++) {
            idAndSlot[i] = ((long) intern(text.terms()[i]) << 32) | i;
        }
        Arrays.sort(idAndSlot);
        int[] ids = new int[n];
        int[] freqs = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (int) (idAndSlot[i] >>> 32);
            freqs[i] = text.freqs()[(int) idAndSlot[i]];
            if (i > 0 && ids[i] == ids[i - 1]) {
                throw new IllegalArgumentException("text.terms: '" + text.terms()[(int) idAndSlot[i]]
                        + "' appears twice (ordinal " + ordinal + ")");
            }
        }
        store(ordinal, ids, freqs, text.length());
    }

    /** The id of {@code term}, adding it (with empty postings) if new. */
    int intern(String term) {
        int id = termIds.getValue(term);
        if (id == -1) {
            id = terms.size();
            termIds.put(term, id);
            terms.add(term);
            postings.add(new PostingList());
        }
        return id;
    }

    /**
     * An index of {@code documents} (ordinal, text) pairs, e.g. re-read from storage.
     *
     * @throws IllegalArgumentException for a negative ordinal or null text
     */
    public static InvertedIndex rebuild(Analyzer analyzer, Iterable<TextDocument> documents) {
        InvertedIndex index = new InvertedIndex(analyzer);
        for (TextDocument document : documents) {
            index.put(document.ordinal(), document.text());
        }
        return index;
    }

    /** Adds a document whose term ids (sorted, distinct) and frequencies are known. */
    void store(int ordinal, int[] ids, int[] freqs, int length) {
        ensureCapacity(ordinal);
        byte norm = LengthNorm.encode(length);
        docTerms[ordinal] = ids;
        docFreqs[ordinal] = freqs;
        docLengths[ordinal] = length;
        norms[ordinal] = norm;
        for (int i = 0; i < ids.length; i++) {
            postings.get(ids[i]).add(ordinal, freqs[i], norm);
        }
        documents++;
        if (length > 0) {
            docCount++;
            sumTotalTermFreq += length;
        }
        maxOrdinal = Math.max(maxOrdinal, ordinal);
    }

    /**
     * Removes document {@code ordinal}.
     *
     * @return whether it was present
     */
    public boolean delete(int ordinal) {
        if (ordinal < 0 || ordinal >= docTerms.length || docTerms[ordinal] == null) {
            return false;
        }
        int[] ids = docTerms[ordinal];
        int[] freqs = docFreqs[ordinal];
        byte norm = norms[ordinal];
        docTerms[ordinal] = null;
        docFreqs[ordinal] = null;
        for (int i = 0; i < ids.length; i++) {
            postings.get(ids[i]).remove(ordinal, freqs[i], norm, norms);
        }
        int length = docLengths[ordinal];
        documents--;
        if (length > 0) {
            docCount--;
            sumTotalTermFreq -= length;
        }
        docLengths[ordinal] = 0;
        return true;
    }

    /** Whether document {@code ordinal} is indexed (possibly with an empty text). */
    public boolean contains(int ordinal) {
        return ordinal >= 0 && ordinal < docTerms.length && docTerms[ordinal] != null;
    }

    /** Number of indexed documents, empty texts included. */
    public int documents() {
        return documents;
    }

    /** The largest ordinal ever stored, or -1. */
    public int maxOrdinal() {
        return maxOrdinal;
    }

    public TextStatistics statistics() {
        return new TextStatistics(docCount, sumTotalTermFreq);
    }

    /** Exact number of terms of document {@code ordinal} (0 when absent). */
    public int length(int ordinal) {
        return contains(ordinal) ? docLengths[ordinal] : 0;
    }

    /** The length norm byte of document {@code ordinal}. */
    public byte norm(int ordinal) {
        return norms[ordinal];
    }

    /** The id of {@code term}, or -1 when no document has ever contained it. */
    public int termId(String term) {
        return termIds.getValue(term);
    }

    public String term(int termId) {
        return terms.get(termId);
    }

    /** Number of term ids handed out (some may have empty postings after deletes). */
    public int termCount() {
        return terms.size();
    }

    public PostingList postings(int termId) {
        return postings.get(termId);
    }

    /** Documents containing {@code term} now. */
    public int docFreq(String term) {
        int id = termId(term);
        return id < 0 ? 0 : postings.get(id).size();
    }

    /** Frequency of {@code termId} in document {@code ordinal} (0 if absent). */
    public int freq(int ordinal, int termId) {
        if (!contains(ordinal)) {
            return 0;
        }
        int at = Arrays.binarySearch(docTerms[ordinal], termId);
        return at < 0 ? 0 : docFreqs[ordinal][at];
    }

    /** Term ids of document {@code ordinal}, sorted (empty when absent); do not modify. */
    int[] documentTermIds(int ordinal) {
        return contains(ordinal) ? docTerms[ordinal] : NO_INTS;
    }

    /** Frequencies parallel to {@link #documentTermIds}; do not modify. */
    int[] documentTermFreqs(int ordinal) {
        return contains(ordinal) ? docFreqs[ordinal] : NO_INTS;
    }

    private void ensureCapacity(int ordinal) {
        if (ordinal < docTerms.length) {
            return;
        }
        int capacity = Math.max(ordinal + 1, docTerms.length + (docTerms.length >> 1));
        docTerms = Arrays.copyOf(docTerms, capacity);
        docFreqs = Arrays.copyOf(docFreqs, capacity);
        docLengths = Arrays.copyOf(docLengths, capacity);
        norms = Arrays.copyOf(norms, capacity);
    }
}
