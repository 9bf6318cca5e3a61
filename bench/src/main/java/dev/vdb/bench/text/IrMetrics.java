package dev.vdb.bench.text;

import java.util.List;
import java.util.Map;

/**
 * Ranking effectiveness over graded judgments, as {@code ../shared/datasets/cranfield/baseline_eval.py}
 * computes it: nDCG@10 with gain {@code 2^rel - 1} and log2 discount (ideal = the judged gains
 * sorted), average precision over the top 100 divided by the number of relevant documents
 * (MAP@100), and the share of relevant documents in the top 100 (Recall@100). A judged document
 * with gain ≥ 1 is relevant; unjudged documents count as not relevant.
 *
 * <p>Stateless and thread-safe.
 */
public final class IrMetrics {

    /** Means over queries of nDCG@10, MAP@100 and Recall@100. */
    public record Means(double ndcg10, double map100, double recall100, int queries) {}

    private IrMetrics() {}

    public static double ndcgAt10(List<String> ranked, Map<String, Integer> gains) {
        double dcg = 0;
        for (int i = 0; i < Math.min(10, ranked.size()); i++) {
            dcg += (Math.pow(2, gains.getOrDefault(ranked.get(i), 0)) - 1) / log2(i + 2);
        }
        List<Integer> ideal = gains.values().stream().sorted((a, b) -> b - a).limit(10).toList();
        double idcg = 0;
        for (int i = 0; i < ideal.size(); i++) {
            idcg += (Math.pow(2, ideal.get(i)) - 1) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    public static double averagePrecisionAt100(List<String> ranked, Map<String, Integer> gains) {
        long relevant = gains.values().stream().filter(g -> g > 0).count();
        int hits = 0;
        double sum = 0;
        for (int i = 0; i < Math.min(100, ranked.size()); i++) {
            if (gains.getOrDefault(ranked.get(i), 0) > 0) {
                hits++;
                sum += hits / (double) (i + 1);
            }
        }
        return relevant == 0 ? 0 : sum / relevant;
    }

    public static double recallAt100(List<String> ranked, Map<String, Integer> gains) {
        long relevant = gains.values().stream().filter(g -> g > 0).count();
        long found = ranked.stream().limit(100).filter(d -> gains.getOrDefault(d, 0) > 0).count();
        return relevant == 0 ? 0 : found / (double) relevant;
    }

    /** The means over every judged query of one run ({@code rankings.get(i)} answers query {@code queryIds.get(i)}). */
    public static Means means(List<String> queryIds, List<List<String>> rankings, Map<String, Map<String, Integer>> qrels) {
        double ndcg = 0;
        double map = 0;
        double recall = 0;
        int judged = 0;
        for (int q = 0; q < queryIds.size(); q++) {
            Map<String, Integer> gains = qrels.get(queryIds.get(q));
            if (gains == null || gains.isEmpty()) {
                continue;
            }
            judged++;
            ndcg += ndcgAt10(rankings.get(q), gains);
            map += averagePrecisionAt100(rankings.get(q), gains);
            recall += recallAt100(rankings.get(q), gains);
        }
        return new Means(ndcg / judged, map / judged, recall / judged, judged);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
