package dev.vdb.bench.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
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
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Lucene's BM25 over the same texts, the reference run: one TextField per document in an
 * in-memory directory, force-merged to one segment by a merge policy that merges adjacent
 * segments only (so doc id = position in the list, and ties rank as ours do), queried with
 * one SHOULD TermQuery per analysed query token (as Lucene's QueryBuilder does) and collected by
 * {@code TopScoreDocCollectorManager(k, k)}, Lucene's fastest top-k setting (no hit counting
 * beyond k). Searches may run on any thread; not for concurrent use with {@link #close}.
 */
final class LuceneBm25 implements AutoCloseable {

    private static final String FIELD = "text";

    private final Analyzer analyzer;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    LuceneBm25(String analyzerName, List<String> texts, float k1, float b) throws IOException {
        analyzer = switch (analyzerName) {
            case "english" -> new EnglishAnalyzer();
            case "standard" -> new StandardAnalyzer();
            default -> throw new IllegalArgumentException("--analyzer must be english or standard, got '" + analyzerName + "'");
        };
        BM25Similarity similarity = new BM25Similarity(k1, b);
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                .setSimilarity(similarity).setMergePolicy(new LogByteSizeMergePolicy()))) {
            for (String text : texts) {
                Document doc = new Document();
                doc.add(new TextField(FIELD, text, Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
        searcher.setSimilarity(similarity);
    }

    /** Analyses {@code text} and returns the top {@code k} (doc id = text position), best first. */
    ScoreDoc[] search(String text, int k) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        try (TokenStream stream = analyzer.tokenStream(FIELD, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                query.add(new TermQuery(new Term(FIELD, term.toString())), BooleanClause.Occur.SHOULD);
            }
            stream.end();
            return searcher.search(query.build(), new TopScoreDocCollectorManager(k, k)).scoreDocs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
        analyzer.close();
    }
}
