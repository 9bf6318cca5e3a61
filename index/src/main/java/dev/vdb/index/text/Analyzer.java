package dev.vdb.index.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns text into the terms that are indexed and searched. Implementations equal Lucene's
 * analyzers of the same name token for token.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface Analyzer {

    /** The name a collection's {@code text.analyzer} setting uses. */
    String name();

    /** Calls {@code terms} with each term of {@code text}, in order (repeats included). */
    void analyze(CharSequence text, Consumer<String> terms);

    /** The terms of {@code text}, in order. */
    default List<String> terms(CharSequence text) {
        List<String> terms = new ArrayList<>();
        analyze(text, terms::add);
        return terms;
    }

    /**
     * The analyzer called {@code name}: {@code standard} or {@code english}.
     *
     * @throws IllegalArgumentException for any other name
     */
    static Analyzer named(String name) {
        if (StandardAnalyzer.NAME.equals(name)) {
            return StandardAnalyzer.INSTANCE;
        }
        if (EnglishAnalyzer.NAME.equals(name)) {
            return EnglishAnalyzer.INSTANCE;
        }
        throw new IllegalArgumentException("text.analyzer: unknown analyzer '" + name
                + "' (expected '" + StandardAnalyzer.NAME + "' or '" + EnglishAnalyzer.NAME + "')");
    }
}
