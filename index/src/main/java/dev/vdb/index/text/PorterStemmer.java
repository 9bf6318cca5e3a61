package dev.vdb.index.text;

/**
 * The Porter (1980) suffix-stripping stemmer as in Martin Porter's reference implementation,
 * which Lucene's {@code PorterStemFilter} uses: the published steps 1a-5b with the reference
 * departures ("bli" -> "ble" instead of "abli" -> "able", and "logi" -> "log"). Words of one or
 * two characters are left alone. Works in place on a lower-cased char buffer.
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
final class PorterStemmer {

    /** Step 2 (double suffixes, e.g. -ization -> -ize): the first suffix found decides. */
    private static final String[][] STEP2 = {
        {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
        {"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
        {"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
        {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"},
        {"logi", "log"},
    };

    /** Step 3 (-ic-, -full, -ness...). */
    private static final String[][] STEP3 = {
        {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""},
        {"ness", ""},
    };

    /** Step 4: suffixes removed when the stem has measure > 1; longer suffixes first. */
    private static final String[] STEP4 = {
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
        "ism", "ate", "iti", "ous", "ive", "ize",
    };

    private PorterStemmer() {}

    /**
     * Stems the word in {@code word[0, length)} in place and returns its new length. The buffer
     * needs room for one extra character (step 1b may add an 'e').
     */
    static int stem(char[] word, int length) {
        if (length <= 2) {
            return length;
        }
        Word w = new Word(word, length);
        w.step1a();
        w.step1b();
        w.step1c();
        w.replaceFirst(STEP2);
        w.replaceFirst(STEP3);
        w.step4();
        w.step5();
        return w.length;
    }

    /** The word being stemmed: {@code chars[0, length)}. */
    private static final class Word {
        final char[] chars;
        int length;

        Word(char[] chars, int length) {
            this.chars = chars;
            this.length = length;
        }

        boolean isConsonant(int i) {
            return switch (chars[i]) {
                case 'a', 'e', 'i', 'o', 'u' -> false;
                case 'y' -> i == 0 || !isConsonant(i - 1);
                default -> true;
            };
        }

        /** Porter's m: the number of vowel-consonant sequences in {@code chars[0, end)}. */
        int measure(int end) {
            int i = 0;
            while (i < end && isConsonant(i)) {
                i++;
            }
            int m = 0;
            while (i < end) {
                while (i < end && !isConsonant(i)) {
                    i++;
                }
                if (i >= end) {
                    break;
                }
                m++;
                while (i < end && isConsonant(i)) {
                    i++;
                }
            }
            return m;
        }

        boolean hasVowel(int end) {
            for (int i = 0; i < end; i++) {
                if (!isConsonant(i)) {
                    return true;
                }
            }
            return false;
        }

        boolean endsWith(String suffix) {
            int offset = length - suffix.length();
            if (offset < 0) {
                return false;
            }
            for (int i = 0; i < suffix.length(); i++) {
                if (chars[offset + i] != suffix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether {@code chars[end - 2, end)} is a doubled consonant. */
        boolean doubleConsonant(int end) {
            return end >= 2 && chars[end - 1] == chars[end - 2] && isConsonant(end - 1);
        }

        /** Whether the stem {@code chars[0, end)} ends consonant-vowel-consonant, the last not w, x or y. */
        boolean endsCvc(int end) {
            if (end < 3 || !isConsonant(end - 1) || isConsonant(end - 2) || !isConsonant(end - 3)) {
                return false;
            }
            char last = chars[end - 1];
            return last != 'w' && last != 'x' && last != 'y';
        }

        void replaceSuffix(int suffixLength, String replacement) {
            int stemEnd = length - suffixLength;
            replacement.getChars(0, replacement.length(), chars, stemEnd);
            length = stemEnd + replacement.length();
        }

        /** Step 1a: plurals. sses -> ss, ies -> i, s -> (nothing) unless ss. */
        void step1a() {
            if (chars[length - 1] != 's') {
                return;
            }
            if (endsWith("sses")) {
                length -= 2;
            } else if (endsWith("ies")) {
                replaceSuffix(3, "i");
            } else if (chars[length - 2] != 's') {
                length--;
            }
        }

        /** Step 1b: -eed, -ed, -ing, then tidying of the stem. */
        void step1b() {
            if (endsWith("eed")) {
                if (measure(length - 3) > 0) {
                    length--;
                }
                return;
            }
            int suffix = endsWith("ed") ? 2 : endsWith("ing") ? 3 : 0;
            if (suffix == 0 || !hasVowel(length - suffix)) {
                return;
            }
            length -= suffix;
            if (endsWith("at") || endsWith("bl") || endsWith("iz")) {
                chars[length++] = 'e';
            } else if (doubleConsonant(length)) {
                char last = chars[length - 1];
                if (last != 'l' && last != 's' && last != 'z') {
                    length--;
                }
            } else if (measure(length) == 1 && endsCvc(length)) {
                chars[length++] = 'e';
            }
        }

        /** Step 1c: y -> i when the stem has a vowel. */
        void step1c() {
            if (chars[length - 1] == 'y' && hasVowel(length - 1)) {
                chars[length - 1] = 'i';
            }
        }

        /** Replaces the first listed suffix the word ends with, if the stem before it has m > 0. */
        void replaceFirst(String[][] rules) {
            for (String[] rule : rules) {
                if (endsWith(rule[0])) {
                    if (measure(length - rule[0].length()) > 0) {
                        replaceSuffix(rule[0].length(), rule[1]);
                    }
                    return;
                }
            }
        }

        /** Step 4: drops the first listed suffix found if the stem before it has m > 1. */
        void step4() {
            for (String suffix : STEP4) {
                if (!endsWith(suffix)) {
                    continue;
                }
                int stemEnd = length - suffix.length();
                if (suffix.equals("ion") && (stemEnd == 0 || (chars[stemEnd - 1] != 's' && chars[stemEnd - 1] != 't'))) {
                    continue;
                }
                if (measure(stemEnd) > 1) {
                    length = stemEnd;
                }
                return;
            }
        }

        /** Step 5: drops a final e (m > 1, or m = 1 and not cvc) and one l of a final ll (m > 1). */
        void step5() {
            if (chars[length - 1] == 'e') {
                int m = measure(length - 1);
                if (m > 1 || (m == 1 && !endsCvc(length - 1))) {
                    length--;
                }
            }
            if (length >= 2 && chars[length - 1] == 'l' && doubleConsonant(length) && measure(length) > 1) {
                length--;
            }
        }
    }
}
