package dev.vdb.index.text;

/**
 * The per-token steps of the analyzers, on a char buffer holding one token: each takes the
 * token's length and returns its new length.
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
final class TokenFilters {

    private TokenFilters() {}

    /**
     * Lower-cases code point by code point ({@link Character#toLowerCase(int)}, no locale), as
     * Lucene's {@code LowerCaseFilter} does.
     */
    static int lowerCase(char[] buffer, int length) {
        int i = 0;
        while (i < length) {
            int cp = Character.codePointAt(buffer, i, length);
            int count = Character.charCount(cp);
            int lower = Character.toLowerCase(cp);
            if (lower != cp && Character.charCount(lower) == count) {
                Character.toChars(lower, buffer, i);
            }
            i += count;
        }
        return length;
    }

    /**
     * Drops a trailing possessive "'s" (apostrophe U+0027, U+2019 or U+FF07; s in either case), as
     * Lucene's {@code EnglishPossessiveFilter} does before lower-casing.
     */
    static int removePossessive(char[] buffer, int length) {
        if (length >= 2) {
            char last = buffer[length - 1];
            char quote = buffer[length - 2];
            if ((last == 's' || last == 'S') && (quote == '\'' || quote == '\u2019' || quote == '\uFF07')) {
                return length - 2;
            }
        }
        return length;
    }
}
