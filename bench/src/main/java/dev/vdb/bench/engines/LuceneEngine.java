package dev.vdb.bench.engines;

import dev.vdb.bench.Progress;
import dev.vdb.index.VectorSimilarity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Lucene 10.6 HNSW: {@link KnnFloatVectorField}s in an {@link MMapDirectory} on a temp dir,
 * {@link Lucene99HnswVectorsFormat}(M, beamWidth = ef_construct) through a per-field codec,
 * force-merged to one segment so there is one graph.
 *
 * <p>Build on 1 thread: one indexing thread, one segment (the graph is built while indexing).
 * On N threads: N indexing threads (one segment each), then {@code forceMerge(1)} with N merge
 * workers (Lucene's concurrent HNSW merge). Search: {@code LeafReader.searchNearestVectors} with
 * a {@link TopKnnCollector} of size ef (Lucene's k = ef, no visit limit), keeping the best k;
 * this is hnswlib's ef exactly and skips the {@code KnnFloatVectorQuery} rewrite overhead.
 * Distance computations: the collector's {@code visitedCount()}, which Lucene's graph searcher
 * increments once per scored vector. Sessions may run concurrently (the reader is shared).
 *
 * <p>Quantized variants ({@link Quantization}) use Lucene 10.6's
 * {@link Lucene104HnswScalarQuantizedVectorsFormat} (optimized scalar quantization, which in
 * Lucene 10.4 replaced {@code Lucene99HnswScalarQuantizedVectorsFormat} and the BBQ format
 * {@code Lucene102HnswBinaryQuantizedVectorsFormat}; those live on only as read-only
 * backward codecs): the graph is built and searched on the codes, the raw float vectors stay
 * in their own memory-mapped file. A search collects ef candidates on the codes and rescores
 * them with the raw vectors ({@link VectorSimilarityFunction#compare}), keeping the best k, as
 * Elasticsearch's {@code rescore_vector} with oversampling ef / k does.
 *
 * <p>For filtered runs each document also gets the fields of a {@link DocumentFields} (e.g.
 * an {@code IntField} or {@code KeywordField} to filter on), and {@link #reader()} /
 * {@link #row(int)} let a caller run its own queries.
 */
public final class LuceneEngine implements AnnEngine {

    private static final String FIELD = "v";
    private static final String ROW = "row";

    /** Adds a caller's fields to the document of one row. */
    @FunctionalInterface
    public interface DocumentFields {
        void add(int row, Document doc);
    }

    /** Which vectors Lucene's graph walks: float32, or codes of Lucene's scalar quantization. */
    public enum Quantization {
        NONE("lucene", null),
        INT7("lucene-int7", ScalarEncoding.SEVEN_BIT),
        INT4("lucene-int4", ScalarEncoding.PACKED_NIBBLE),
        /** One bit per dimension for the documents, four for the query (Lucene's BBQ). */
        BINARY("lucene-bbq", ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE);

        final String engineName;
        final ScalarEncoding encoding;

        Quantization(String engineName, ScalarEncoding encoding) {
            this.engineName = engineName;
            this.encoding = encoding;
        }
    }

    private final VectorSimilarityFunction function;
    private final Quantization quantization;
    private final DocumentFields extraFields;
    private final int m;
    private final int efConstruct;
    private Path dir;
    private MMapDirectory directory;
    private DirectoryReader reader;
    private LeafReader leaf;
    private int[] docToRow;

    public LuceneEngine(VectorSimilarity similarity, int m, int efConstruct) {
        this(similarity, m, efConstruct, Quantization.NONE, null);
    }

    /** An engine whose graph walks the codes of {@code quantization}. */
    public LuceneEngine(VectorSimilarity similarity, int m, int efConstruct, Quantization quantization) {
        this(similarity, m, efConstruct, quantization, null);
    }

    /** An engine whose documents also get {@code extraFields} (null for none). */
    public LuceneEngine(VectorSimilarity similarity, int m, int efConstruct, DocumentFields extraFields) {
        this(similarity, m, efConstruct, Quantization.NONE, extraFields);
    }

    private LuceneEngine(VectorSimilarity similarity, int m, int efConstruct, Quantization quantization,
                         DocumentFields extraFields) {
        this.quantization = quantization;
        this.extraFields = extraFields;
        this.function = function(similarity);
        this.m = m;
        this.efConstruct = efConstruct;
    }

    /** Lucene's function for a similarity: DOT_PRODUCT for cosine (the vectors are unit length). */
    static VectorSimilarityFunction function(VectorSimilarity similarity) {
        return switch (similarity) {
            case COSINE -> VectorSimilarityFunction.DOT_PRODUCT;
            case DOT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
            case EUCLID -> VectorSimilarityFunction.EUCLIDEAN;
        };
    }

    @Override
    public String name() {
        return quantization.engineName;
    }

    @Override
    public boolean buildsConcurrently() {
        return true;
    }

    @Override
    public void build(float[][] base, int threads, Progress progress) throws Exception {
        build(BaseVectors.of(base), threads, progress);
    }

    private KnnVectorsFormat format(int threads, ExecutorService mergeWorkers) {
        if (quantization == Quantization.NONE) {
            return threads > 1 ? new Lucene99HnswVectorsFormat(m, efConstruct, threads, mergeWorkers)
                    : new Lucene99HnswVectorsFormat(m, efConstruct);
        }
        return new Lucene104HnswScalarQuantizedVectorsFormat(quantization.encoding, m, efConstruct,
                threads > 1 ? threads : 1, mergeWorkers);
    }

    /**
     * Lucene's indexing buffer: 1 GiB, or a quarter of the heap when that is less (the scale
     * run gives each engine 2 GB), so that buffered vectors and their graph never fill it.
     */
    private static double ramBufferMb() {
        return Math.min(1024, Runtime.getRuntime().maxMemory() / 4 / (1 << 20));
    }

    @Override
    public void build(BaseVectors base, int threads, Progress progress) throws Exception {
        dir = Files.createTempDirectory("vdb-bench-lucene");
        directory = new MMapDirectory(dir);
        ExecutorService mergeWorkers = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        KnnVectorsFormat format = format(threads, mergeWorkers);
        IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(new Lucene104Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return format;
                    }
                })
                .setRAMBufferSizeMB(ramBufferMb())
                .setUseCompoundFile(false)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            Thread[] workers = new Thread[threads];
            Exception[] failure = new Exception[1];
            for (int t = 0; t < threads; t++) {
                int from = (int) ((long) base.size() * t / threads);
                int to = (int) ((long) base.size() * (t + 1) / threads);
                workers[t] = new Thread(() -> {
                    try {
                        for (int i = from; i < to; i++) {
                            Document doc = new Document();
                            doc.add(new KnnFloatVectorField(FIELD, base.row(i), function));
                            doc.add(new NumericDocValuesField(ROW, i));
                            if (extraFields != null) {
                                extraFields.add(i, doc);
                            }
                            writer.addDocument(doc);
                            progress.advance(1);
                        }
                    } catch (IOException | RuntimeException e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                    }
                }, "lucene-index-" + t);
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            writer.forceMerge(1);
            writer.commit();
        } finally {
            if (mergeWorkers != null) {
                mergeWorkers.shutdown();
                mergeWorkers.awaitTermination(1, TimeUnit.MINUTES);
            }
        }
        reader = DirectoryReader.open(directory);
        if (reader.leaves().size() != 1) {
            throw new IllegalStateException("expected one segment after forceMerge(1), got " + reader.leaves().size());
        }
        leaf = reader.leaves().get(0).reader();
        docToRow = new int[leaf.maxDoc()];
        NumericDocValues rows = leaf.getNumericDocValues(ROW);
        for (int doc = rows.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = rows.nextDoc()) {
            docToRow[doc] = (int) rows.longValue();
        }
    }

    /** The vector field's name. */
    public static String vectorField() {
        return FIELD;
    }

    /** The reader of the built index (one segment). */
    public DirectoryReader reader() {
        return reader;
    }

    /** The row id of a document of the built index. */
    public int row(int doc) {
        return docToRow[doc];
    }

    @Override
    public Session newSession() throws IOException {
        AcceptDocs all = AcceptDocs.fromLiveDocs(leaf.getLiveDocs(), leaf.maxDoc());
        FloatVectorValues raw = quantization == Quantization.NONE ? null : leaf.getFloatVectorValues(FIELD);
        if (raw != null && raw.size() != leaf.maxDoc()) {
            throw new IllegalStateException("expected a vector in every document, got " + raw.size() + " of " + leaf.maxDoc());
        }
        return new Session() {
            private long last = -1;

            @Override
            public int[] search(float[] query, int k, int ef) throws IOException {
                TopKnnCollector collector = new TopKnnCollector(Math.max(ef, k), Integer.MAX_VALUE);
                leaf.searchNearestVectors(FIELD, query, collector, all);
                last = collector.visitedCount();
                TopDocs top = collector.topDocs();
                ScoreDoc[] docs = top.scoreDocs;
                if (raw != null) {
                    rescore(query, docs);
                }
                int[] ids = new int[Math.min(k, docs.length)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = docToRow[docs[i].doc];
                }
                return ids;
            }

            /** Rescores the candidates with the raw vectors (dense field: ordinal = doc) and sorts them best first. */
            private void rescore(float[] query, ScoreDoc[] docs) throws IOException {
                for (ScoreDoc d : docs) {
                    d.score = function.compare(query, raw.vectorValue(d.doc));
                }
                Arrays.sort(docs, (a, b) -> Float.compare(b.score, a.score));
                last += docs.length;
            }

            @Override
            public long lastDistanceComputations() {
                return last;
            }
        };
    }

    @Override
    public long memoryBytes(long heapDeltaBytes) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> !f.getFileName().toString().equals("write.lock"))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String memoryMethod() {
        return "size of the index files (vectors, graph, row-id doc values; memory-mapped, off heap)";
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
        if (directory != null) {
            directory.close();
        }
        if (dir != null) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
