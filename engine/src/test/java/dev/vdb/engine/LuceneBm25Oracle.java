package dev.vdb.engine;

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
import org.apache.lucene.index.NoMergePolicy;
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
 * Lucene's BM25 over a list of texts, the oracle for BM25 through the engine: one TextField per
 * text in a single in-memory segment (so Lucene's doc id is the list index), queried with one
 * SHOULD TermQuery per analysed query token, as Lucene's QueryBuilder does.
 */
final class LuceneBm25Oracle implements AutoCloseable {

    private static final String FIELD = "text";

    private final Analyzer analyzer;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    LuceneBm25Oracle(String analyzerName, List<String> texts, float k1, float b) {
        analyzer = analyzerName.equals("english") ? new EnglishAnalyzer() : new StandardAnalyzer();
        BM25Similarity similarity = new BM25Similarity(k1, b);
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(similarity)
                .setMergePolicy(NoMergePolicy.INSTANCE).setMaxBufferedDocs(texts.size() + 1).setRAMBufferSizeMB(256);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (String text : texts) {
                Document doc = new Document();
                doc.add(new TextField(FIELD, text, Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.commit();
            reader = DirectoryReader.open(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (reader.leaves().size() != 1) {
            throw new IllegalStateException("expected one segment, got " + reader.leaves().size());
        }
        searcher = new IndexSearcher(reader);
        searcher.setSimilarity(similarity);
    }

    /** The top k as (doc id = text index, score), best first, ties by smaller doc id. */
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
