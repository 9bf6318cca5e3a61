package dev.vdb.index.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Lucene's BM25 over the same documents: one TextField per document in a ByteBuffersDirectory
 * (one segment, so Lucene doc id = our ordinal), queried with one SHOULD TermQuery per analysed
 * query token, as Lucene's QueryBuilder does.
 */
final class LuceneBm25 implements AutoCloseable {

    static final String FIELD = "text";

    private final org.apache.lucene.analysis.Analyzer analyzer;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    LuceneBm25(String analyzerName, List<String> texts, float k1, float b) {
        analyzer = LuceneOracle.analyzer(analyzerName);
        BM25Similarity similarity = new BM25Similarity(k1, b);
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setSimilarity(similarity)
                .setMergePolicy(NoMergePolicy.INSTANCE)
                .setMaxBufferedDocs(texts.size() + 1)
                .setRAMBufferSizeMB(256);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (int i = 0; i < texts.size(); i++) {
                Document doc = new Document();
                doc.add(new TextField(FIELD, texts.get(i), Field.Store.NO));
                doc.add(new StoredField("ordinal", i));
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

    Query query(String text) {
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        for (String term : LuceneOracle.terms(analyzer, text)) {
            builder.add(new TermQuery(new Term(FIELD, term)), BooleanClause.Occur.SHOULD);
        }
        return builder.build();
    }

    TopDocs search(String text, int k) {
        return search(query(text), k);
    }

    /** Top k without counting hits beyond k (totalHitsThreshold = k), Lucene's fastest top-k setting. */
    TopDocs search(Query query, int k) {
        try {
            return searcher.search(query, new TopScoreDocCollectorManager(k, k));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lucene's hits as a best-first list of (doc id = ordinal, score). */
    TextHits hits(String text, int k) {
        ScoreDoc[] docs = search(text, k).scoreDocs;
        int[] ordinals = new int[docs.length];
        float[] scores = new float[docs.length];
        for (int i = 0; i < docs.length; i++) {
            ordinals[i] = docs[i].doc;
            scores[i] = docs[i].score;
        }
        return new TextHits(ordinals, scores);
    }

    /** Lucene's explanation of {@code doc}'s score, as term -> contribution. */
    java.util.Map<String, Float> termContributions(String text, int doc) {
        try {
            org.apache.lucene.search.Explanation explanation = searcher.explain(query(text), doc);
            java.util.Map<String, Float> terms = new java.util.HashMap<>();
            java.util.regex.Pattern weight = java.util.regex.Pattern.compile("weight\\(" + FIELD + ":(\\S+) in ");
            collect(explanation, weight, terms);
            return terms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(org.apache.lucene.search.Explanation e, java.util.regex.Pattern weight,
            java.util.Map<String, Float> terms) {
        java.util.regex.Matcher m = weight.matcher(e.getDescription());
        if (m.find()) {
            terms.put(m.group(1), e.getValue().floatValue());
            return;
        }
        for (org.apache.lucene.search.Explanation detail : e.getDetails()) {
            collect(detail, weight, terms);
        }
    }

    int maxDoc() {
        return reader.maxDoc();
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
        analyzer.close();
    }
}
