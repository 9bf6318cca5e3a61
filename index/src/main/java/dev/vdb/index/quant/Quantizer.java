package dev.vdb.index.quant;

import dev.vdb.index.NodeScorer;
import dev.vdb.index.VectorSimilarity;

/**
 * Turns a prepared float32 vector into a compact code plus a few float corrections, and scores
 * codes against codes so that scores estimate the full-precision ones (same scale, higher is
 * closer). Trained once on a sample of a collection's vectors; immutable and thread-safe.
 */
public sealed interface Quantizer permits Int8Quantizer, BinaryQuantizer {

    int dimension();

    /** Bytes per code. */
    int codeBytes();

    /** Correction floats per code. */
    int corrections();

    /** Encodes {@code vector} into {@code codes[codeOff..)} and {@code corr[corrOff..)}. */
    void encode(float[] vector, byte[] codes, int codeOff, float[] corr, int corrOff);

    /**
     * Candidates a search on these codes hands to rescoring per slot of its beam: 1, the beam's
     * own nodes, when the estimates rank the candidates near the truth; more, the beam's nearest
     * misses too, when an estimate's error often puts a true neighbour just outside the beam.
     */
    int candidatesPerBeamSlot();

    /** A scorer over {@code vectors}' codes, for one thread. */
    NodeScorer newScorer(QuantizedVectors vectors, VectorSimilarity similarity);
}
