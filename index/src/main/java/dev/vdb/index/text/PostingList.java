package dev.vdb.index.text;

import java.util.Arrays;

/**
 * The documents containing one term: ordinals in increasing order with their term frequencies,
 * in parallel primitive arrays, plus the term's "impacts": the (frequency, length norm) pairs
 * that no other posting beats on both (shorter and more frequent). The best BM25 score of the
 * term over all its documents is reached at one of the impacts, which gives MaxScore its exact
 * per-term upper bound without scanning the postings.
 *
 * <p>Not thread-safe: written by the single writer of its {@link InvertedIndex}; reads are safe
 * while no write runs. Appends in ordinal order are amortised O(1); other inserts and removals
 * shift the arrays.
 */
public final class PostingList {

    private int[] ordinals = new int[4];
    private int[] freqs = new int[4];
    private int size;

    /** Impacts sorted by norm ascending, hence by frequency strictly ascending. */
    private int[] impactFreqs = new int[2];
    private byte[] impactNorms = new byte[2];
    private int impactCount;

    /** Number of documents (the term's document frequency). */
    public int size() {
        return size;
    }

    /** Ordinal of the {@code i}-th posting. */
    public int ordinal(int i) {
        return ordinals[i];
    }

    /** Term frequency of the {@code i}-th posting. */
    public int freq(int i) {
        return freqs[i];
    }

    /** Number of impacts. */
    public int impactCount() {
        return impactCount;
    }

    public int impactFreq(int i) {
        return impactFreqs[i];
    }

    public byte impactNorm(int i) {
        return impactNorms[i];
    }

    /**
     * The first posting index at or after {@code from} whose ordinal is >= {@code target}, or
     * {@link #size()} (galloping then binary search).
     */
    public int advance(int from, int target) {
        if (from >= size || ordinals[from] >= target) {
            return from;
        }
        int low = from;
        int step = 1;
        int high = from + 1;
        while (high < size && ordinals[high] < target) {
            low = high;
            step <<= 1;
            high = from + step;
        }
        high = Math.min(high, size - 1);
        if (ordinals[high] < target) {
            return size;
        }
        // ordinals[low] < target <= ordinals[high]
        while (high - low > 1) {
            int mid = (low + high) >>> 1;
            if (ordinals[mid] < target) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    /** Index of {@code ordinal}, or a negative value if absent. */
    int indexOf(int ordinal) {
        return Arrays.binarySearch(ordinals, 0, size, ordinal);
    }

    /** Adds a posting; {@code ordinal} must be absent. */
    void add(int ordinal, int freq, byte norm) {
        if (size == ordinals.length) {
            int capacity = size + (size >> 1) + 1;
            ordinals = Arrays.copyOf(ordinals, capacity);
            freqs = Arrays.copyOf(freqs, capacity);
        }
        int at = size == 0 || ordinals[size - 1] < ordinal ? size : -indexOf(ordinal) - 1;
        assert at >= 0 && (at == size || ordinals[at] != ordinal) : "ordinal already posted: " + ordinal;
        System.arraycopy(ordinals, at, ordinals, at + 1, size - at);
        System.arraycopy(freqs, at, freqs, at + 1, size - at);
        ordinals[at] = ordinal;
        freqs[at] = freq;
        size++;
        addImpact(freq, norm);
    }

    /** Removes the posting of {@code ordinal}; {@code norms} gives the remaining documents' norms. */
    void remove(int ordinal, int freq, byte norm, byte[] norms) {
        int at = indexOf(ordinal);
        assert at >= 0 : "ordinal not posted: " + ordinal;
        System.arraycopy(ordinals, at + 1, ordinals, at, size - at - 1);
        System.arraycopy(freqs, at + 1, freqs, at, size - at - 1);
        size--;
        for (int i = 0; i < impactCount; i++) {
            if (impactFreqs[i] == freq && impactNorms[i] == norm) {
                rebuildImpacts(norms);
                return;
            }
        }
    }

    private void rebuildImpacts(byte[] norms) {
        impactCount = 0;
        for (int i = 0; i < size; i++) {
            addImpact(freqs[i], norms[ordinals[i]]);
        }
    }

    private void addImpact(int freq, byte norm) {
        int n = norm & 0xFF;
        for (int i = 0; i < impactCount; i++) {
            if ((impactNorms[i] & 0xFF) <= n && impactFreqs[i] >= freq) {
                return; // dominated: a shorter-or-equal document with a higher-or-equal frequency exists
            }
        }
        int kept = 0;
        for (int i = 0; i < impactCount; i++) {
            boolean dominated = (impactNorms[i] & 0xFF) >= n && impactFreqs[i] <= freq;
            if (!dominated) {
                impactFreqs[kept] = impactFreqs[i];
                impactNorms[kept] = impactNorms[i];
                kept++;
            }
        }
        impactCount = kept;
        if (impactCount == impactFreqs.length) {
            impactFreqs = Arrays.copyOf(impactFreqs, impactCount * 2);
            impactNorms = Arrays.copyOf(impactNorms, impactCount * 2);
        }
        int at = 0;
        while (at < impactCount && (impactNorms[at] & 0xFF) < n) {
            at++;
        }
        System.arraycopy(impactFreqs, at, impactFreqs, at + 1, impactCount - at);
        System.arraycopy(impactNorms, at, impactNorms, at + 1, impactCount - at);
        impactFreqs[at] = freq;
        impactNorms[at] = norm;
        impactCount++;
    }
}
