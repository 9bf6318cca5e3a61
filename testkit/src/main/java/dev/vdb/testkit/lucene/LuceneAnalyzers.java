package dev.vdb.testkit.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Lucene's analyzers by the names our analyzers have: the oracle they are compared with. */
public final class LuceneAnalyzers {

    private LuceneAnalyzers() {}

    /** A new analyzer for {@code "standard"} or {@code "english"}; the caller closes it. */
    public static Analyzer analyzer(String name) {
        return switch (name) {
            case "standard" -> new StandardAnalyzer();
            case "english" -> new EnglishAnalyzer();
            default -> throw new IllegalArgumentException("analyzer must be english or standard, got '" + name + "'");
        };
    }

    /** The terms {@code analyzer} makes of {@code text}, in order. */
    public static List<String> terms(Analyzer analyzer, String text) {
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
