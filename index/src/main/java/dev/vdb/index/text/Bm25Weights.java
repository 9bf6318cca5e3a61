package dev.vdb.index.text;

/**
 * The per-query constants of Lucene's BM25Similarity, computed in float in Lucene's exact
 * operation order so that scores are bit-for-bit Lucene's:
 * {@code idf = (float) ln(1 + (N - n + 0.5) / (n + 0.5))}, {@code weight = boost * idf},
 * {@code normInverse[norm] = 1 / (k1 * ((1 - b) + b * decodedLength(norm) / avgdl))} and
 * {@code score = weight - weight / (1 + freq * normInverse)}.
 *
 * <p>Immutable after construction; built once per query (small arrays).
 */
final class Bm25Weights {

    private static final float[] DECODED_LENGTHS = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            DECODED_LENGTHS[i] = LengthNorm.decode((byte) i);
        }
    }

    final float avgdl;
    final float[] normInverse = new float[256];
    final float[] idf;
    final int[] docFreq;
    final float[] weight;
    /** The best score each term reaches in any document (from its impacts). */
    final float[] upperBound;

    Bm25Weights(InvertedIndex index, Bm25Params params, Bm25Query query) {
        TextStatistics stats = index.statistics();
        avgdl = stats.averageLength();
        float k1 = params.k1();
        float b = params.b();
        for (int i = 0; i < 256; i++) {
            normInverse[i] = 1f / (k1 * ((1 - b) + b * DECODED_LENGTHS[i] / avgdl));
        }
        int n = query.size();
        idf = new float[n];
        docFreq = new int[n];
        weight = new float[n];
        upperBound = new float[n];
        for (int t = 0; t < n; t++) {
            PostingList postings = index.postings(query.termIds()[t]);
            docFreq[t] = postings.size();
            idf[t] = idf(docFreq[t], stats.docCount());
            weight[t] = query.boosts()[t] * idf[t];
            float best = 0f;
            for (int i = 0; i < postings.impactCount(); i++) {
                best = Math.max(best, score(t, postings.impactFreq(i), postings.impactNorm(i)));
            }
            upperBound[t] = best;
        }
    }

    static float idf(long docFreq, long docCount) {
        return (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D));
    }

    /** Term {@code t}'s score in a document where it occurs {@code freq} times. */
    float score(int t, int freq, byte norm) {
        float w = weight[t];
        return w - w / (1f + freq * normInverse[norm & 0xFF]);
    }

    static float decodedLength(byte norm) {
        return DECODED_LENGTHS[norm & 0xFF];
    }
}
