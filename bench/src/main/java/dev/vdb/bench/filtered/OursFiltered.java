package dev.vdb.bench.filtered;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.bench.Progress;
import dev.vdb.bench.engines.OursEngine;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.FilterStrategy;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.FilterParser;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ours through the embedded API ({@link OursEngine}: a collection with HNSW(M, ef_construct)),
 * the points carrying the filter fields as payload, each field with a payload index (integer
 * or keyword). Variants:
 * <ul>
 *   <li>{@code ours-auto}, {@code ours-pre}, {@code ours-post}: {@code Collection.search} with
 *       the filter (parsed from its JSON by {@link FilterParser}) and
 *       {@code SearchParams(ef, false, strategy)};</li>
 *   <li>{@code ours-exact}: the same filter with {@code SearchParams(0, true)}, the exact scan
 *       of the matching points (one point per filter: ef does not apply);</li>
 *   <li>{@code naive-post}: the post-filter baseline: an unfiltered search for the top ef at
 *       ef, then the hits the filter rejects dropped (bitset lookup), the first k kept; no
 *       widening, so it answers short when few points match.</li>
 * </ul>
 * Distance computations: the collection's own count ({@code diagnostics().searchDistanceComputations()}), exact. Searchers
 * may run concurrently.
 */
final class OursFiltered implements FilteredEngine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OursEngine engine;
    private FilteredData data;
    private VectorCollection collection;
    /** Parsed filters, [case][group]. */
    private Filter[][] filters;

    OursFiltered(FilteredData data, int m, int efConstruct) {
        Map<String, PayloadSchema> indexes = new HashMap<>();
        Map<String, Boolean> integer = new HashMap<>();
        for (String field : data.fields()) {
            boolean isInteger = data.payloads().isInteger(field);
            integer.put(field, isInteger);
            indexes.put(field, isInteger ? PayloadSchema.INTEGER : PayloadSchema.KEYWORD);
        }
        this.engine = new OursEngine(data.similarity(), m, efConstruct, row -> {
            Map<String, Object> payload = new HashMap<>();
            for (String field : data.fields()) {
                String value = data.payloads().column(field)[row];
                payload.put(field, integer.get(field) ? (Object) Integer.parseInt(value) : value);
            }
            return payload;
        }, indexes);
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public List<String> variants() {
        return List.of("ours-auto", "ours-pre", "ours-post", "ours-exact", "naive-post");
    }

    @Override
    public boolean usesEf(String variant) {
        return !variant.equals("ours-exact");
    }

    @Override
    public void build(FilteredData data, int threads, Progress progress) throws Exception {
        this.data = data;
        engine.build(data.base(), threads, progress);
        collection = engine.collection();
        filters = new Filter[data.cases().size()][];
        for (FilterCase c : data.cases()) {
            filters[c.index()] = new Filter[c.groupCount()];
            for (int g = 0; g < c.groupCount(); g++) {
                filters[c.index()][g] = FilterParser.parse(JSON.readTree(c.json(g)));
            }
        }
    }

    @Override
    public Searcher newSearcher(String variant) {
        return switch (variant) {
            case "ours-auto" -> new Strategy(FilterStrategy.AUTO, false);
            case "ours-pre" -> new Strategy(FilterStrategy.PRE, false);
            case "ours-post" -> new Strategy(FilterStrategy.POST, false);
            case "ours-exact" -> new Strategy(FilterStrategy.AUTO, true);
            case "naive-post" -> new NaivePost();
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    /** Counts the distance computations of one search. */
    private abstract class Counting implements Searcher {
        private long last = -1;

        @Override
        public final int[] search(int query, FilterCase filter, int k, int ef) {
            long before = collection.diagnostics().searchDistanceComputations();
            int[] ids = run(data.queries()[query], query, filter, k, ef);
            last = distances(filter, collection.diagnostics().searchDistanceComputations() - before);
            return ids;
        }

        /** The distance computations of a search that the collection counted {@code counted}. */
        long distances(FilterCase filter, long counted) {
            return counted;
        }

        abstract int[] run(float[] vector, int query, FilterCase filter, int k, int ef);

        @Override
        public final long lastDistanceComputations() {
            return last;
        }
    }

    private final class Strategy extends Counting {
        private final FilterStrategy strategy;
        private final boolean exact;

        Strategy(FilterStrategy strategy, boolean exact) {
            this.strategy = strategy;
            this.exact = exact;
        }

        @Override
        long distances(FilterCase filter, long counted) {
            // an unfiltered exact search scans every point outside the counted paths
            return exact && filter == null ? data.base().length : counted;
        }

        @Override
        int[] run(float[] vector, int query, FilterCase filter, int k, int ef) {
            Filter f = filter == null ? null : filters[filter.index()][filter.groupOf(query)];
            SearchParams params = new SearchParams(exact ? 0 : ef, exact, strategy);
            return ids(collection.search(SearchRequest.builder().vector(vector).filter(f).limit(k).params(params).withPayload(false).build()), k);
        }
    }

    private final class NaivePost extends Counting {
        @Override
        int[] run(float[] vector, int query, FilterCase filter, int k, int ef) {
            int width = Math.max(ef, k);
            List<ScoredPoint> hits = collection.search(SearchRequest.builder().vector(vector).limit(width).params(new SearchParams(width, false)).withPayload(false).build());
            if (filter == null) {
                return ids(hits, k);
            }
            BitSet admitted = filter.admitted(filter.groupOf(query));
            int[] kept = new int[k];
            int n = 0;
            for (int i = 0; i < hits.size() && n < k; i++) {
                int row = (int) ((PointId.Num) hits.get(i).id()).id();
                if (admitted.get(row)) {
                    kept[n++] = row;
                }
            }
            return java.util.Arrays.copyOf(kept, n);
        }
    }

    private static int[] ids(List<ScoredPoint> hits, int k) {
        int[] ids = new int[Math.min(k, hits.size())];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) ((PointId.Num) hits.get(i).id()).id();
        }
        return ids;
    }

    @Override
    public void close() throws Exception {
        engine.close();
    }
}
