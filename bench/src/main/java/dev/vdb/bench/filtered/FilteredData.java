package dev.vdb.bench.filtered;

import dev.vdb.bench.BenchData;
import dev.vdb.bench.GeneratedShape;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.testkit.data.Vecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * What a filtered run searches: base and queries prepared for the metric (unit length for
 * cosine), the payload columns the filters use ({@code base_meta.tsv}), and the filter cases
 * with their ground truth, plus the unfiltered case (every row) as the 100% point. Immutable after loading; engines must not modify the arrays.
 */
public record FilteredData(String name, float[][] base, float[][] queries, VectorSimilarity similarity,
                           MetaTable payloads, FilterCase unfiltered, List<FilterCase> cases) {

    /** Filters used when none are given, by the columns a dataset's base_meta.tsv has. */
    static final List<String> RANK_SWEEP = List.of("freq_rank<25000", "freq_rank<10000", "freq_rank<5000",
            "freq_rank<1000", "freq_rank<500", "freq_rank<100");
    static final List<String> CATEGORY_SWEEP = List.of("pos=n", "lexname=noun.artifact", "lexname=verb.motion",
            "lexname=$query", "lexname=$query.other_lexname");
    /**
     * Filters correlated with the query (its own cell) and anti-correlated (its farthest cell),
     * admitting 10% and 1% of any base ({@link DerivedColumns}); added to every default sweep.
     */
    static final List<String> CORRELATION_SWEEP = List.of("cluster10=$query", "cluster10=$query.far_cluster10",
            "cluster100=$query", "cluster100=$query.far_cluster100");
    /** Generated data: an integer column {@code rank} (a permutation of the rows). */
    static final List<String> GENERATED_SWEEP = List.of("rank<50%", "rank<10%", "rank<1%");

    /**
     * Each filter's admitted rows wrapped as an engine's accept type, indexed
     * {@code [case index][group]} ({@link FilterCase#index()}, {@link FilterCase#groupOf}).
     */
    public <B> List<List<B>> acceptBits(Function<BitSet, B> wrap) {
        List<List<B>> out = new ArrayList<>(cases.size());
        for (FilterCase c : cases) {
            List<B> groups = new ArrayList<>(c.groupCount());
            for (int g = 0; g < c.groupCount(); g++) {
                groups.add(wrap.apply(c.admitted(g)));
            }
            out.add(groups);
        }
        return out;
    }

    public int dimension() {
        return base[0].length;
    }

    /** Distinct payload fields the filters use, in filter order. */
    public Set<String> fields() {
        Set<String> fields = new LinkedHashSet<>();
        cases.forEach(c -> fields.add(c.spec().field()));
        return fields;
    }

    /**
     * Loads a dataset folder ({@code base.fvecs}, {@code query.fvecs}, {@code base_meta.tsv}, and
     * {@code query_meta.tsv} for {@code FIELD=$query} filters).
     *
     * @param specs the filters, or empty for the defaults of the dataset's columns
     * @param baseLimit use only the first this many base rows (ground truth then by brute force), or 0 for all
     * @param queryLimit use only the first this many queries, or 0 for all
     * @param cacheRoot where brute-force ground truth is cached (a folder per dataset and base size), or null
     */
    public static FilteredData load(Path dir, VectorSimilarity similarity, List<String> specs, int baseLimit,
                                    int queryLimit, int k, Path cacheRoot) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dataset must be a folder with base.fvecs, query.fvecs and base_meta.tsv, got " + dir);
        }
        float[][] base = Vecs.readFvecs(dir.resolve("base.fvecs"), baseLimit > 0 ? baseLimit : Integer.MAX_VALUE);
        float[][] queries = Vecs.readFvecs(dir.resolve("query.fvecs"), queryLimit > 0 ? queryLimit : Integer.MAX_VALUE);
        boolean wholeBase = baseLimit <= 0 || Vecs.readFvecs(dir.resolve("base.fvecs"), baseLimit + 1).length <= baseLimit;
        List<FilterSpec> filters = (specs.isEmpty() ? defaults(dir.resolve("base_meta.tsv")) : specs).stream()
                .map(FilterSpec::parse).toList();
        Set<String> fields = baseFields(filters);
        Set<String> queryColumns = queryColumns(filters);
        float[][] preparedBase = prepare(base, similarity);
        float[][] preparedQueries = prepare(queries, similarity);
        Set<String> readFields = new LinkedHashSet<>(fields);
        readFields.removeIf(DerivedColumns::isDerivedBase);
        MetaTable baseMeta = MetaTable.read(dir.resolve("base_meta.tsv"), base.length, readFields)
                .with(DerivedColumns.base(fields, preparedBase, similarity));
        Set<String> readColumns = new LinkedHashSet<>();
        for (String column : queryColumns) {
            String source = DerivedColumns.otherSource(column);
            if (source != null) {
                readColumns.add(source);
            } else if (!DerivedColumns.isDerivedQuery(column)) {
                readColumns.add(column);
            }
        }
        MetaTable queryMeta = null;
        if (!queryColumns.isEmpty()) {
            MetaTable read = readColumns.isEmpty() ? MetaTable.of("query_meta", Map.of())
                    : MetaTable.read(dir.resolve("query_meta.tsv"), queries.length, readColumns);
            Map<String, String[]> readValues = new HashMap<>();
            readColumns.forEach(c -> readValues.put(c, read.column(c)));
            queryMeta = read.with(DerivedColumns.queries(queryColumns, preparedBase, preparedQueries, similarity, readValues));
        }
        String name = dir.getFileName().toString() + (wholeBase ? "" : "[0.." + base.length + ")");
        List<FilterCase> cases = new ArrayList<>();
        for (FilterSpec f : filters) {
            cases.add(FilterCase.resolve(cases.size(), f, baseMeta, base.length, queryMeta, queries.length));
        }
        Path cache = cacheRoot == null ? null
                : cacheRoot.resolve(dir.getFileName() + "-" + base.length + "-" + similarity.name().toLowerCase());
        FilterCase unfiltered = FilterCase.unfiltered(base.length, queries.length);
        List<FilterCase> all = new ArrayList<>(cases);
        all.add(unfiltered);
        FilteredGroundTruth.resolve(all, dir, wholeBase, preparedBase, preparedQueries, similarity, k, cache);
        return new FilteredData(name, preparedBase, preparedQueries, similarity, baseMeta, unfiltered, cases);
    }

    /**
     * Generated vectors of {@code shape} (seed {@link BenchData#SEED}, queries drawn after the base, as the
     * unfiltered bench draws them) with an integer column {@code rank} (a random permutation of
     * the rows; filters like {@code rank<10%} take that share of the rows) and the columns of
     * {@link DerivedColumns}. Ground truth by brute force, kept under {@code cacheRoot} when
     * it is not null.
     */
    public static FilteredData generated(GeneratedShape shape, int n, int queryCount, int dim, VectorSimilarity similarity,
                                         List<String> specs, int k, Path cacheRoot) throws IOException {
        IntFunction<float[][]> generator = shape.generator(dim, n, BenchData.SEED);
        float[][] base = prepare(generator.apply(n), similarity);
        float[][] queries = prepare(generator.apply(queryCount), similarity);
        String name = shape.namePrefix + "-" + n + "x" + dim;
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) {
            rank[i] = i;
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        String[] column = new String[n];
        for (int i = 0; i < n; i++) {
            column[i] = Integer.toString(rank[i]);
        }
        List<FilterSpec> filters = new ArrayList<>();
        for (String s : specs.isEmpty() ? concat(GENERATED_SWEEP, CORRELATION_SWEEP) : specs) {
            filters.add(FilterSpec.parse(s.endsWith("%") ? percentOfRows(s, n) : s));
        }
        Set<String> fields = baseFields(filters);
        Set<String> queryColumns = queryColumns(filters);
        Map<String, String[]> columns = new HashMap<>(DerivedColumns.base(fields, base, similarity));
        columns.put("rank", column);
        MetaTable meta = MetaTable.of("generated base_meta", columns);
        MetaTable queryMeta = MetaTable.of("generated query_meta",
                DerivedColumns.queries(queryColumns, base, queries, similarity, Map.of()));
        List<FilterCase> cases = new ArrayList<>();
        for (FilterSpec f : filters) {
            cases.add(FilterCase.resolve(cases.size(), f, meta, n, queryMeta, queryCount));
        }
        FilterCase unfiltered = FilterCase.unfiltered(n, queryCount);
        List<FilterCase> all = new ArrayList<>(cases);
        all.add(unfiltered);
        Path cache = cacheRoot == null ? null : cacheRoot.resolve(name + "-" + similarity.name().toLowerCase());
        FilteredGroundTruth.resolve(all, null, false, base, queries, similarity, k, cache);
        return new FilteredData(name, base, queries, similarity, meta, unfiltered, cases);
    }

    /** {@code rank<10%} → {@code rank<N} with N a tenth of the rows. */
    private static String percentOfRows(String spec, int n) {
        int at = spec.indexOf('<');
        if (at < 0) {
            throw new IllegalArgumentException("--filter " + spec + ": a percentage works only with '<'");
        }
        double percent = Double.parseDouble(spec.substring(at + 1, spec.length() - 1));
        return spec.substring(0, at + 1) + Math.max(1, Math.round(n * percent / 100));
    }

    private static List<String> defaults(Path baseMeta) throws IOException {
        if (!Files.isRegularFile(baseMeta)) {
            throw new IllegalArgumentException("filters need " + baseMeta + " (id and payload columns, tab-separated)");
        }
        String header;
        try (var lines = Files.lines(baseMeta)) {
            header = lines.findFirst().orElse("");
        }
        List<String> columns = List.of(header.split("\t"));
        if (columns.contains("freq_rank")) {
            return concat(RANK_SWEEP, CORRELATION_SWEEP);
        }
        if (columns.contains("pos") && columns.contains("lexname")) {
            return concat(CATEGORY_SWEEP, CORRELATION_SWEEP);
        }
        throw new IllegalArgumentException("no default filters for the columns " + columns + " of " + baseMeta
                + ": give them with --filter FIELD<N, FIELD=VALUE or FIELD=$query");
    }

    /** The base fields the filters test, in filter order. */
    private static Set<String> baseFields(List<FilterSpec> filters) {
        Set<String> fields = new LinkedHashSet<>();
        filters.forEach(f -> fields.add(f.field()));
        return fields;
    }

    /** The query columns the filters take values from, in filter order. */
    private static Set<String> queryColumns(List<FilterSpec> filters) {
        Set<String> columns = new LinkedHashSet<>();
        for (FilterSpec f : filters) {
            if (f.op() == FilterSpec.Op.SAME_AS_QUERY) {
                columns.add(f.queryColumn());
            }
        }
        return columns;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static float[][] prepare(float[][] vectors, VectorSimilarity similarity) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            out[i] = similarity.prepare(vectors[i]);
        }
        return out;
    }
}
