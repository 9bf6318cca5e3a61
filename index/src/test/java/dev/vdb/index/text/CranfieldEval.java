package dev.vdb.index.text;

import dev.vdb.index.Bits;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.fusion.FusedHit;
import dev.vdb.index.fusion.FusionMethod;
import dev.vdb.index.fusion.HybridFusion;
import dev.vdb.index.fusion.RankedList;
import dev.vdb.testkit.data.Datasets;
import dev.vdb.testkit.data.Vecs;
import dev.vdb.testkit.lucene.LuceneBm25;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Effectiveness and speed on Cranfield, ours next to Lucene in the same run (not a unit test):
 * nDCG@10 (graded gains), MAP@100 and Recall@100 of BM25 (english) for us and Lucene, of exact
 * dense cosine over the MiniLM embeddings, and of hybrid RRF / weighted fusion; then BM25
 * queries per second of both, interleaved rounds over the 225 queries after warm-up.
 *
 * <p>Run: see docs/TEXT.md ("Measuring").
 */
public final class CranfieldEval {

    private static final int DEPTH = 100;

    private CranfieldEval() {}

    public static void main(String[] args) throws Exception {
        Cranfield corpus = Cranfield.load();
        InvertedIndex index = Bm25LuceneEquivalenceTest.build("english");
        Bm25Searcher searcher = new Bm25Searcher(index, Bm25Params.DEFAULT);
        try (LuceneBm25 lucene = new LuceneBm25("english", corpus.docTexts(), 1.2f, 0.75f)) {
            int queries = corpus.queryTexts().size();
            TextHits[] ours = new TextHits[queries];
            TextHits[] theirs = new TextHits[queries];
            for (int q = 0; q < queries; q++) {
                String text = corpus.queryTexts().get(q);
                ours[q] = searcher.search(Bm25Query.parse(index, text), DEPTH * HybridFusion.DEFAULT_OVER_FETCH, Bits.ALL);
                theirs[q] = LuceneHits.of(lucene, text, DEPTH);
            }
            System.out.printf("corpus %s: %d docs, %d queries%n", corpus.source(), corpus.docTexts().size(), queries);
            System.out.println("| run | nDCG@10 | MAP@100 | Recall@100 |");
            System.out.println("| --- | --- | --- | --- |");
            report("BM25 english (vdb)", corpus, q -> ours[q].ordinals());
            report("BM25 english (Lucene 10.6)", corpus, q -> theirs[q].ordinals());
            denseAndHybrid(corpus, ours);
            speed("cranfield", corpus.queryTexts(), index, lucene);
        }
        for (String arg : args) {
            if (arg.startsWith("--synthetic=")) {
                speedAtScale(Integer.parseInt(arg.substring("--synthetic=".length())));
            }
        }
    }

    /**
     * Queries/s on {@code docs} generated documents: Zipf(1) words over a 50,000-word vocabulary,
     * 20 to 200 words each, and 225 queries of 2 to 5 Zipf-drawn words (standard analyzer).
     */
    private static void speedAtScale(int docs) throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        int vocabulary = 50_000;
        double[] cumulative = new double[vocabulary];
        double total = 0;
        for (int i = 0; i < vocabulary; i++) {
            total += 1.0 / (i + 1);
            cumulative[i] = total;
        }
        IntFunction<String> word = i -> "w" + Integer.toString(i, 26).replace('0', 'z');
        java.util.function.IntSupplier draw = () -> {
            int at = Arrays.binarySearch(cumulative, random.nextDouble() * cumulative[vocabulary - 1]);
            return Math.min(vocabulary - 1, at < 0 ? -at - 1 : at);
        };
        List<String> texts = new ArrayList<>(docs);
        for (int d = 0; d < docs; d++) {
            int length = 20 + random.nextInt(181);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.append(word.apply(draw.getAsInt())).append(' ');
            }
            texts.add(text.toString());
        }
        List<String> queries = new ArrayList<>();
        for (int q = 0; q < 225; q++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) {
                text.append(word.apply(draw.getAsInt())).append(' ');
            }
            queries.add(text.toString());
        }
        InvertedIndex index = new InvertedIndex(StandardAnalyzer.INSTANCE);
        for (int d = 0; d < docs; d++) {
            index.put(d, texts.get(d));
        }
        try (LuceneBm25 lucene = new LuceneBm25("standard", texts, 1.2f, 0.75f)) {
            speed("synthetic " + docs + " docs", queries, index, lucene);
        }
    }

    private static void denseAndHybrid(Cranfield corpus, TextHits[] bm25) throws Exception {
        if (!corpus.isReal()) {
            System.out.println("(no embeddings in the mini corpus: dense and hybrid skipped)");
            return;
        }
        Path dir = Datasets.find("cranfield").orElseThrow();
        float[][] docs = Vecs.readFvecs(dir.resolve("doc_embeddings.fvecs"));
        float[][] queries = Vecs.readFvecs(dir.resolve("query_embeddings.fvecs"));
        RankedList[] dense = new RankedList[queries.length];
        for (int q = 0; q < queries.length; q++) {
            dense[q] = exactCosine(docs, queries[q], DEPTH * HybridFusion.DEFAULT_OVER_FETCH);
        }
        report("dense MiniLM (exact cosine)", corpus, q -> dense[q].ordinals());
        RankedList[] text = new RankedList[bm25.length];
        for (int q = 0; q < bm25.length; q++) {
            text[q] = new RankedList(bm25[q].ordinals(), bm25[q].scores());
        }
        report("hybrid RRF k=60", corpus, q -> ordinals(HybridFusion.fuse(dense[q], text[q], FusionMethod.Rrf.DEFAULT, DEPTH)));
        for (int a = 0; a <= 10; a++) {
            FusionMethod weighted = new FusionMethod.Weighted(a / 10f);
            report(String.format("hybrid weighted alpha=%.1f", a / 10f), corpus,
                    q -> ordinals(HybridFusion.fuse(dense[q], text[q], weighted, DEPTH)));
        }
    }

    private static RankedList exactCosine(float[][] docs, float[] query, int k) {
        float[] q = VectorSimilarity.COSINE.prepare(query);
        Integer[] order = new Integer[docs.length];
        float[] scores = new float[docs.length];
        for (int d = 0; d < docs.length; d++) {
            float[] v = VectorSimilarity.COSINE.prepare(docs[d]);
            scores[d] = VectorSimilarity.COSINE.score(q, v);
            order[d] = d;
        }
        Arrays.sort(order, (x, y) -> scores[x] != scores[y] ? Float.compare(scores[y], scores[x]) : Integer.compare(x, y));
        int n = Math.min(k, docs.length);
        int[] ordinals = new int[n];
        float[] top = new float[n];
        for (int i = 0; i < n; i++) {
            ordinals[i] = order[i];
            top[i] = scores[order[i]];
        }
        return new RankedList(ordinals, top);
    }

    private static int[] ordinals(List<FusedHit> hits) {
        return hits.stream().mapToInt(FusedHit::ordinal).toArray();
    }

    /** Prints mean nDCG@10 (gain 2^rel - 1), MAP@100 and Recall@100 over the judged queries. */
    static void report(String name, Cranfield corpus, IntFunction<int[]> ranking) {
        double ndcg = 0;
        double map = 0;
        double recall = 0;
        int judged = 0;
        for (int q = 0; q < corpus.queryIds().size(); q++) {
            Map<String, Integer> rel = corpus.qrels().get(corpus.queryIds().get(q));
            if (rel == null || rel.isEmpty()) {
                continue;
            }
            judged++;
            int[] ranked = ranking.apply(q);
            double dcg = 0;
            int hits = 0;
            double ap = 0;
            for (int i = 0; i < Math.min(DEPTH, ranked.length); i++) {
                int gain = rel.getOrDefault(corpus.docIds().get(ranked[i]), 0);
                if (i < 10) {
                    dcg += (Math.pow(2, gain) - 1) / (Math.log(i + 2) / Math.log(2));
                }
                if (gain > 0) {
                    hits++;
                    ap += hits / (double) (i + 1);
                }
            }
            List<Integer> ideal = new ArrayList<>(rel.values());
            ideal.sort((a, b) -> b - a);
            double idcg = 0;
            for (int i = 0; i < Math.min(10, ideal.size()); i++) {
                idcg += (Math.pow(2, ideal.get(i)) - 1) / (Math.log(i + 2) / Math.log(2));
            }
            long relevant = rel.values().stream().filter(g -> g > 0).count();
            ndcg += dcg / idcg;
            map += ap / relevant;
            recall += hits / (double) relevant;
        }
        System.out.printf("| %s | %.4f | %.4f | %.4f |%n", name, ndcg / judged, map / judged, recall / judged);
    }

    private static void speed(String name, List<String> texts, InvertedIndex index, LuceneBm25 lucene) {
        Bm25Searcher searcher = new Bm25Searcher(index, Bm25Params.DEFAULT);
        List<Bm25Query> parsed = texts.stream().map(text -> Bm25Query.parse(index, text)).toList();
        List<org.apache.lucene.search.Query> built = texts.stream().map(lucene::query).toList();
        String[] engines = {"vdb MaxScore", "vdb term-at-a-time", "Lucene", "vdb MaxScore (parsed)", "Lucene (built)"};
        boolean large = index.documents() > 10_000;
        int warmup = large ? 5 : 30;
        int rounds = large ? 10 : 30;
        for (int k : new int[] {10, 100}) {
            double[][] qps = new double[engines.length][rounds];
            long sink = 0;
            for (int round = 0; round < warmup + rounds; round++) {
                for (int engine = 0; engine < engines.length; engine++) {
                    long start = System.nanoTime();
                    for (int q = 0; q < texts.size(); q++) {
                        String text = texts.get(q);
                        sink += switch (engine) {
                            case 0 -> searcher.search(Bm25Query.parse(index, text), k, Bits.ALL).size();
                            case 1 -> searcher.searchTermAtATime(Bm25Query.parse(index, text), k, Bits.ALL).size();
                            case 2 -> lucene.search(text, k).scoreDocs.length;
                            case 3 -> searcher.search(parsed.get(q), k, Bits.ALL).size();
                            default -> lucene.search(built.get(q), k).scoreDocs.length;
                        };
                    }
                    if (round >= warmup) {
                        qps[engine][round - warmup] = texts.size() / ((System.nanoTime() - start) / 1e9);
                    }
                }
            }
            StringBuilder line = new StringBuilder(String.format("%s, top-%d queries/s (median of %d rounds):", name, k, rounds));
            double[] median = new double[engines.length];
            for (int e = 0; e < engines.length; e++) {
                Arrays.sort(qps[e]);
                median[e] = qps[e][rounds / 2];
                line.append(String.format(" %s %.0f,", engines[e], median[e]));
            }
            line.append(String.format(" MaxScore/Lucene = %.2f, parsed/built = %.2f (hits %d)",
                    median[0] / median[2], median[3] / median[4], sink));
            System.out.println(line);
        }
    }
}
