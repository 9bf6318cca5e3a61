package dev.vdb.index.text;

import java.util.function.Consumer;

/**
 * The {@code standard} analyzer: {@link StandardTokenizer} then lower-casing, with no stop words,
 * like Lucene's {@code StandardAnalyzer()}.
 *
 * <p>Stateless and thread-safe; allocates a scratch buffer per call and one String per term.
 */
public final class StandardAnalyzer implements Analyzer {

    /** The setting value. */
    public static final String NAME = "standard";

    /** The shared instance. */
    public static final StandardAnalyzer INSTANCE = new StandardAnalyzer();

    private StandardAnalyzer() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void analyze(CharSequence text, Consumer<String> terms) {
        char[] buffer = new char[StandardTokenizer.MAX_TOKEN_LENGTH + 1];
        StandardTokenizer.tokenize(text, (source, start, end) -> {
            int length = copy(source, start, end, buffer);
            length = TokenFilters.lowerCase(buffer, length);
            terms.accept(new String(buffer, 0, length));
        });
    }

    static int copy(CharSequence source, int start, int end, char[] buffer) {
        for (int i = start; i < end; i++) {
            buffer[i - start] = source.charAt(i);
        }
        return end - start;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
