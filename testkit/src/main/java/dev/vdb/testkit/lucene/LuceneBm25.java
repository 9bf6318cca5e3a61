package dev.vdb.testkit.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Lucene's BM25 over a list of texts, the oracle (and the benchmark peer) for ours: one TextField
 * per text in an in-memory directory, force-merged to one segment by a merge policy that merges
 * adjacent segments only (so Lucene's doc id is the text's position in the list, and ties rank as
 * ours do), queried with one SHOULD TermQuery per analysed query token, as Lucene's QueryBuilder
 * does, and collected by {@code TopScoreDocCollectorManager(k, k)}, Lucene's fastest top-k
 * setting (no hit counting beyond k).
 *
 * <p>Searches may run on any thread; not for concurrent use with {@link #close}.
 */
public final class LuceneBm25 implements AutoCloseable {

    public static final String FIELD = "text";
    private static final Pattern TERM_WEIGHT = Pattern.compile("weight\\(" + FIELD + ":(\\S+) in ");

    private final Analyzer analyzer;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    /** Indexes {@code texts} analysed by {@code analyzerName} ("english" or "standard"). */
    public LuceneBm25(String analyzerName, List<String> texts, float k1, float b) {
        analyzer = LuceneAnalyzers.analyzer(analyzerName);
        BM25Similarity similarity = new BM25Similarity(k1, b);
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                .setSimilarity(similarity).setMergePolicy(new LogByteSizeMergePolicy()))) {
            for (String text : texts) {
                Document doc = new Document();
                doc.add(new TextField(FIELD, text, Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            reader = DirectoryReader.open(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        searcher = new IndexSearcher(reader);
        searcher.setSimilarity(similarity);
    }

    /** The query Lucene's QueryBuilder makes of {@code text}: one SHOULD clause per term. */
    public Query query(String text) {
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        for (String term : LuceneAnalyzers.terms(analyzer, text)) {
            builder.add(new TermQuery(new Term(FIELD, term)), BooleanClause.Occur.SHOULD);
        }
        return builder.build();
    }

    /** The top {@code k} for {@code text} (doc id = position in the list), best first. */
    public TopDocs search(String text, int k) {
        return search(query(text), k);
    }

    /** The top {@code k} for {@code query}, without counting hits beyond k. */
    public TopDocs search(Query query, int k) {
        try {
            return searcher.search(query, new TopScoreDocCollectorManager(k, k));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lucene's explanation of {@code doc}'s score for {@code text}, as term -> contribution. */
    public Map<String, Float> termContributions(String text, int doc) {
        try {
            Map<String, Float> terms = new HashMap<>();
            collect(searcher.explain(query(text), doc), terms);
            return terms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(Explanation e, Map<String, Float> terms) {
        Matcher m = TERM_WEIGHT.matcher(e.getDescription());
        if (m.find()) {
            terms.put(m.group(1), e.getValue().floatValue());
            return;
        }
        for (Explanation detail : e.getDetails()) {
            collect(detail, terms);
        }
    }

    public int maxDoc() {
        return reader.maxDoc();
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
        analyzer.close();
    }
}
