package dev.vdb.bench.filtered;

import dev.vdb.bench.Progress;
import dev.vdb.bench.engines.LuceneEngine;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * Lucene 10.6's filtered HNSW search on the {@link LuceneEngine} index (one segment,
 * HNSW(M, ef_construct)) whose documents also carry each filter field as an {@link IntField}
 * (points + doc values) or a {@link KeywordField}. Two variants:
 * <ul>
 *   <li>{@code lucene}, as a Lucene user runs it:
 *       {@code IndexSearcher.search(new KnnFloatVectorQuery(field, q, ef, filter), k)} with the
 *       filter an {@code IntField.newRangeQuery} / {@code newExactQuery} or
 *       {@code KeywordField.newExactQuery}. Lucene decides itself between its filtered graph
 *       search and an exact scan of the filter's documents (when the filter matches no more
 *       than ef documents, or the graph search visits more than the filter matches); the
 *       searcher keeps Lucene's default query cache, as a user's would. Distance computations:
 *       the total hits of Lucene's per-leaf kNN result (its visited count, which
 *       Elasticsearch's profiler reports as vector operations).</li>
 *   <li>{@code lucene-graph}, Lucene's filtered graph search alone, the counterpart of
 *       {@code ours-graph}: {@code LeafReader.searchNearestVectors} with the filter's documents
 *       as precomputed accept docs (an iterator over a {@link FixedBitSet} with its
 *       cardinality as cost, as {@code KnnFloatVectorQuery} hands them over), a
 *       {@link TopKnnCollector} of size ef with no visit limit (so no exact fallback) and
 *       Lucene's default strategy {@link KnnSearchStrategy.Hnsw#DEFAULT} (below 60% it explores
 *       the neighbours of rejected nodes as well). Distance computations: the collector's
 *       visited count.</li>
 * </ul>
 * Searchers may run concurrently.
 */
final class LuceneFiltered implements FilteredEngine {

    private final LuceneEngine engine;
    private FilteredData data;
    /** Lucene filter queries, [case][group]. */
    private Query[][] filters;
    /** The documents each filter admits, [case][group]. */
    private FixedBitSet[][] acceptDocs;

    LuceneFiltered(FilteredData data, int m, int efConstruct) {
        List<String> fields = List.copyOf(data.fields());
        boolean[] integer = new boolean[fields.size()];
        String[][] columns = new String[fields.size()][];
        for (int f = 0; f < fields.size(); f++) {
            integer[f] = data.payloads().isInteger(fields.get(f));
            columns[f] = data.payloads().column(fields.get(f));
        }
        this.engine = new LuceneEngine(data.similarity(), m, efConstruct, (row, doc) -> {
            for (int f = 0; f < integer.length; f++) {
                doc.add(integer[f] ? new IntField(fields.get(f), Integer.parseInt(columns[f][row]), Field.Store.NO)
                        : new KeywordField(fields.get(f), columns[f][row], Field.Store.NO));
            }
        });
    }

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public List<String> variants() {
        return List.of("lucene", "lucene-graph");
    }

    @Override
    public void build(FilteredData data, int threads, Progress progress) throws Exception {
        this.data = data;
        engine.build(data.base(), threads, progress);
        filters = new Query[data.cases().size()][];
        acceptDocs = new FixedBitSet[data.cases().size()][];
        int maxDoc = engine.reader().maxDoc();
        for (FilterCase c : data.cases()) {
            filters[c.index()] = new Query[c.groupCount()];
            acceptDocs[c.index()] = new FixedBitSet[c.groupCount()];
            for (int g = 0; g < c.groupCount(); g++) {
                filters[c.index()][g] = query(c, g);
                FixedBitSet docs = new FixedBitSet(maxDoc);
                for (int doc = 0; doc < maxDoc; doc++) {
                    if (c.admitted(g).get(engine.row(doc))) {
                        docs.set(doc);
                    }
                }
                acceptDocs[c.index()][g] = docs;
            }
        }
    }

    private static Query query(FilterCase c, int g) {
        FilterSpec spec = c.spec();
        return switch (spec.op()) {
            case LESS_THAN -> IntField.newRangeQuery(spec.field(), Integer.MIN_VALUE,
                    (int) Math.min(Integer.MAX_VALUE, Long.parseLong(spec.value()) - 1));
            case NONE -> throw new IllegalArgumentException("the unfiltered case has no filter query");
            case EQUALS, SAME_AS_QUERY -> {
                String value = spec.op() == FilterSpec.Op.EQUALS ? spec.value() : c.groupValue(g);
                yield c.integerField() ? IntField.newExactQuery(spec.field(), Integer.parseInt(value))
                        : KeywordField.newExactQuery(spec.field(), value);
            }
        };
    }

    /** Records the visited count Lucene reports in its per-leaf results. */
    private static final class CountingQuery extends KnnFloatVectorQuery {
        private final long[] visited;

        CountingQuery(float[] target, int k, Query filter, long[] visited) {
            super(LuceneEngine.vectorField(), target, k, filter);
            this.visited = visited;
        }

        @Override
        protected TopDocs mergeLeafResults(TopDocs[] perLeafResults) {
            long sum = 0;
            for (TopDocs t : perLeafResults) {
                sum += t.totalHits.value();
            }
            visited[0] = sum;
            return super.mergeLeafResults(perLeafResults);
        }
    }

    @Override
    public Searcher newSearcher(String variant) {
        return variant.equals("lucene-graph") ? graphSearcher() : querySearcher();
    }

    private Searcher graphSearcher() {
        LeafReader leaf = engine.reader().leaves().get(0).reader();
        int maxDoc = leaf.maxDoc();
        AcceptDocs all = AcceptDocs.fromLiveDocs(leaf.getLiveDocs(), maxDoc);
        return new Searcher() {
            private long last = -1;

            @Override
            public int[] search(int query, FilterCase filter, int k, int ef) throws IOException {
                AcceptDocs accept = all;
                if (filter != null) {
                    FixedBitSet docs = acceptDocs[filter.index()][filter.groupOf(query)];
                    int cost = docs.cardinality();
                    accept = AcceptDocs.fromIteratorSupplier(() -> new BitSetIterator(docs, cost), null, maxDoc);
                }
                TopKnnCollector collector = new TopKnnCollector(Math.max(ef, k), Integer.MAX_VALUE, KnnSearchStrategy.Hnsw.DEFAULT);
                leaf.searchNearestVectors(LuceneEngine.vectorField(), data.queries()[query], collector, accept);
                last = collector.visitedCount();
                ScoreDoc[] docs = collector.topDocs().scoreDocs;
                int[] ids = new int[Math.min(k, docs.length)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = engine.row(docs[i].doc);
                }
                return ids;
            }

            @Override
            public long lastDistanceComputations() {
                return last;
            }
        };
    }

    private Searcher querySearcher() {
        IndexSearcher searcher = new IndexSearcher(engine.reader());
        return new Searcher() {
            private final long[] visited = {-1};

            @Override
            public int[] search(int query, FilterCase filter, int k, int ef) throws IOException {
                Query f = filter == null ? null : filters[filter.index()][filter.groupOf(query)];
                visited[0] = -1;
                TopDocs top = searcher.search(new CountingQuery(data.queries()[query], Math.max(ef, k), f, visited), k);
                ScoreDoc[] docs = top.scoreDocs;
                int[] ids = new int[docs.length];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = engine.row(docs[i].doc);
                }
                return ids;
            }

            @Override
            public long lastDistanceComputations() {
                return visited[0];
            }
        };
    }

    @Override
    public void close() throws Exception {
        engine.close();
    }
}
