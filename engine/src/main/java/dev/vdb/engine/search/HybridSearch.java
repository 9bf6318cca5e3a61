package dev.vdb.engine.search;

import dev.vdb.engine.Fusion;
import dev.vdb.engine.HitExplanation;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.text.TextIndex;
import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.fusion.FusedHit;
import dev.vdb.index.fusion.FusionMethod;
import dev.vdb.index.fusion.HybridFusion;
import dev.vdb.index.fusion.RankedList;
import dev.vdb.index.text.TextHits;
import java.util.Arrays;
import java.util.List;

/**
 * Ranks the ordinals of one {@link SearchRequest}: nearest neighbours of its vector, BM25 over
 * its text ({@link TextIndex}), or both fused by its {@link Fusion} (hybrid). The caller maps
 * the ranking to ids and payloads.
 *
 * <ul>
 *   <li>Vector only: the retriever's top {@code limit + offset}; score = the user-facing vector
 *       score.</li>
 *   <li>Text only: BM25's top {@code limit + offset}; score = the BM25 score.</li>
 *   <li>Hybrid: each retriever returns {@code (limit + offset) x }{@link HybridFusion#DEFAULT_OVER_FETCH}
 *       candidates, so a point ranked just below the cut by one list still collects its share
 *       from the other; the union is fused by RRF or by the weighted sum of min-max-normalised
 *       scores ({@link HybridFusion}); score = the fused score. Weighted fusion normalises the
 *       internal vector similarity (higher is closer: cosine, inner product, minus the squared
 *       Euclidean distance).</li>
 * </ul>
 * With {@code explain}, every hit gets a {@link HitExplanation}: its ranks and scores in each
 * list (the vector score as the user sees it), each query term's BM25 contribution, and the
 * score it was ranked by. Ranks count from the first result before {@code offset}.
 *
 * <p>A filter applies to both sides: the vector retriever plans its own filtered search, the
 * text side ranks only the ordinals the caller resolved the filter to.
 *
 * <p>Stateless apart from its collaborators; thread-safe as they are. The caller holds whatever
 * keeps the accepted ordinals and the indexes consistent (the collection's state read lock). Allocates
 * the ranking, the candidate lists and, for hybrid, the fusion's map.
 */
public final class HybridSearch {

    /**
     * The collection's vector search: the {@code k} best ordinals among the live points the
     * filter matches (all when null), best first, with internal scores; returns how many.
     */
    public interface VectorRetriever {
        int search(float[] query, Filter filter, int k, SearchParams params, int[] ordinals, float[] scores,
                   Deadline deadline);
    }

    /**
     * Ordinals best first, each with its user-facing score and, when asked, its explanation.
     *
     * @param explanations null unless the request asked to explain
     */
    public record Ranking(int[] ordinals, float[] scores, HitExplanation[] explanations, int size) {}

    private final VectorSimilarity similarity;
    private final VectorRetriever vectors;
    private final TextIndex text;

    public HybridSearch(VectorSimilarity similarity, VectorRetriever vectors, TextIndex text) {
        this.similarity = similarity;
        this.vectors = vectors;
        this.text = text;
    }

    /** Rejects a blank query text (a null one means no text search). */
    public static void checkText(String text) {
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank, got '" + text + "'");
        }
    }

    /**
     * The ranking of {@code request}: its vector side searches the points its filter matches,
     * its text side the ordinals {@code textAccept} admits (the same points, resolved).
     *
     * @param query the request's vector prepared for the similarity, or null for a text-only search
     * @param textAccept the ordinals a text search may return; unused (may be null) without text
     * @param deadline both sides stop there
     */
    public Ranking rank(SearchRequest request, float[] query, Bits textAccept, Deadline deadline) {
        int wanted = request.limit() + request.offset();
        if (request.text() == null) {
            return vectorOnly(request, query, wanted, deadline);
        }
        if (query == null) {
            return textOnly(request, wanted, textAccept, deadline);
        }
        return hybrid(request, query, wanted, textAccept, deadline);
    }

    private Ranking vectorOnly(SearchRequest request, float[] query, int wanted, Deadline deadline) {
        int[] ordinals = new int[wanted];
        float[] scores = new float[wanted];
        int n = vectors.search(query, request.filter(), wanted, request.params(), ordinals, scores, deadline);
        HitExplanation[] explanations = request.explain() ? new HitExplanation[n] : null;
        for (int i = 0; i < n; i++) {
            scores[i] = similarity.toUserScore(scores[i]);
            if (explanations != null) {
                explanations[i] = new HitExplanation(i + 1, scores[i], 0, Float.NaN, List.of(), scores[i]);
            }
        }
        return new Ranking(ordinals, scores, explanations, n);
    }

    private Ranking textOnly(SearchRequest request, int wanted, Bits accept, Deadline deadline) {
        TextIndex.Result result = text.search(request.text(), wanted, accept, deadline);
        TextHits hits = result.hits();
        int n = hits.size();
        HitExplanation[] explanations = request.explain() ? new HitExplanation[n] : null;
        for (int i = 0; explanations != null && i < n; i++) {
            float score = hits.scores()[i];
            explanations[i] = new HitExplanation(0, Float.NaN, i + 1, score,
                    text.explain(result.query(), hits.ordinals()[i]), score);
        }
        return new Ranking(hits.ordinals(), hits.scores(), explanations, n);
    }

    private Ranking hybrid(SearchRequest request, float[] query, int wanted, Bits accept, Deadline deadline) {
        int candidates = HybridFusion.candidates(wanted, HybridFusion.DEFAULT_OVER_FETCH);
        int[] vectorOrdinals = new int[candidates];
        float[] vectorScores = new float[candidates];
        int nv = vectors.search(query, request.filter(), candidates, request.params(), vectorOrdinals, vectorScores,
                deadline);
        RankedList vectorList = new RankedList(Arrays.copyOf(vectorOrdinals, nv), Arrays.copyOf(vectorScores, nv));
        TextIndex.Result result = text.search(request.text(), candidates, accept, deadline);
        RankedList textList = new RankedList(result.hits().ordinals(), result.hits().scores());

        List<FusedHit> fused = HybridFusion.fuse(vectorList, textList, method(request.fusion()), wanted);
        int n = fused.size();
        int[] ordinals = new int[n];
        float[] scores = new float[n];
        HitExplanation[] explanations = request.explain() ? new HitExplanation[n] : null;
        for (int i = 0; i < n; i++) {
            FusedHit hit = fused.get(i);
            ordinals[i] = hit.ordinal();
            scores[i] = (float) hit.score();
            if (explanations != null) {
                explanations[i] = new HitExplanation(hit.vectorRank(),
                        hit.inVectorList() ? similarity.toUserScore(hit.vectorScore()) : Float.NaN,
                        hit.textRank(), hit.textScore(),
                        hit.inTextList() ? text.explain(result.query(), hit.ordinal()) : List.of(), hit.score());
            }
        }
        return new Ranking(ordinals, scores, explanations, n);
    }

    /** The index's fusion method for the engine's {@link Fusion}. */
    static FusionMethod method(Fusion fusion) {
        return switch (fusion.method()) {
            case RRF -> new FusionMethod.Rrf(fusion.k());
            case WEIGHTED -> new FusionMethod.Weighted(fusion.alpha());
        };
    }
}
