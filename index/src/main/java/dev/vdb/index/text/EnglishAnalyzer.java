package dev.vdb.index.text;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code english} analyzer, in the order of Lucene's {@code EnglishAnalyzer}:
 * {@link StandardTokenizer}, possessive removal ("john's" -> "john"), lower-casing, removal of
 * {@link #STOP_WORDS}, then {@link PorterStemmer Porter stemming}.
 *
 * <p>Stateless and thread-safe; allocates a scratch buffer per call and one String per term.
 */
public final class EnglishAnalyzer implements Analyzer {

    /** The setting value. */
    public static final String NAME = "english";

    /** Lucene's {@code EnglishAnalyzer.ENGLISH_STOP_WORDS_SET}. */
    public static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
            "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
            "this", "to", "was", "will", "with");

    /** The shared instance. */
    public static final EnglishAnalyzer INSTANCE = new EnglishAnalyzer();

    private EnglishAnalyzer() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void analyze(CharSequence text, Consumer<String> terms) {
        char[] buffer = new char[StandardTokenizer.MAX_TOKEN_LENGTH + 1];
        StandardTokenizer.tokenize(text, (source, start, end) -> {
            int length = StandardAnalyzer.copy(source, start, end, buffer);
            length = TokenFilters.removePossessive(buffer, length);
            length = TokenFilters.lowerCase(buffer, length);
            String word = new String(buffer, 0, length);
            if (STOP_WORDS.contains(word)) {
                return;
            }
            length = PorterStemmer.stem(buffer, length);
            terms.accept(new String(buffer, 0, length));
        });
    }

    @Override
    public String toString() {
        return NAME;
    }
}
