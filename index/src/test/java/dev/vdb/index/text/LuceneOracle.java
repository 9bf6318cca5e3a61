package dev.vdb.index.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Lucene's analyzers as the oracle our analyzers are compared with. */
final class LuceneOracle {

    private LuceneOracle() {}

    static org.apache.lucene.analysis.Analyzer analyzer(String name) {
        return switch (name) {
            case "standard" -> new org.apache.lucene.analysis.standard.StandardAnalyzer();
            case "english" -> new org.apache.lucene.analysis.en.EnglishAnalyzer();
            default -> throw new IllegalArgumentException("analyzer: " + name);
        };
    }

    static List<String> terms(org.apache.lucene.analysis.Analyzer analyzer, String text) {
        List<String> terms = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terms;
    }
}
