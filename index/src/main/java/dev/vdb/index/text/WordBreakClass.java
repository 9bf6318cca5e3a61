package dev.vdb.index.text;

/**
 * The Unicode word-break classes (UAX#29, Table 3) that {@link StandardTokenizer} needs, derived
 * from the JDK's character properties, plus the script classes that Lucene's StandardTokenizer
 * grammar treats specially (Han and Hiragana as one-character tokens, South-East Asian runs).
 *
 * <p>Stateless and thread-safe; {@link #of} is a table lookup for the Basic Multilingual Plane and
 * allocates nothing.
 */
final class WordBreakClass {

    static final byte OTHER = 0;
    /** ALetter (Hangul included). */
    static final byte LETTER = 1;
    /** Hebrew_Letter: a letter that also allows the Hebrew quote rules (WB7a-c). */
    static final byte HEBREW = 2;
    static final byte NUMERIC = 3;
    static final byte KATAKANA = 4;
    static final byte EXTEND_NUM_LET = 5;
    /** MidLetter: joins letters only. */
    static final byte MID_LETTER = 6;
    /** MidNum: joins digits only. */
    static final byte MID_NUM = 7;
    /** MidNumLet or Single_Quote: joins letters or digits. */
    static final byte MID_NUM_LET = 8;
    static final byte SINGLE_QUOTE = 9;
    static final byte DOUBLE_QUOTE = 10;
    /** Extend, Format or ZWJ: absorbed into the preceding character (WB4). */
    static final byte EXTEND = 11;
    /** Han script: one token per character. */
    static final byte HAN = 12;
    /** Hiragana script: one token per character. */
    static final byte HIRAGANA = 13;
    /** Line_Break=Complex_Context (Thai, Lao, Myanmar, Khmer...): runs are kept together. */
    static final byte SOUTH_EAST_ASIAN = 14;
    /** A Complex_Context combining mark: extends any preceding character, or runs like SOUTH_EAST_ASIAN. */
    static final byte SOUTH_EAST_ASIAN_MARK = 17;
    /** An emoji skin-tone modifier: extends any preceding character, or is an emoji by itself. */
    static final byte EMOJI_MODIFIER = 18;
    static final byte REGIONAL_INDICATOR = 15;
    /** Emoji and Extended_Pictographic characters (not digits, '#', '*'). */
    static final byte EMOJI = 16;

    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int cp = 0; cp < BMP.length; cp++) {
            BMP[cp] = compute(cp);
        }
    }

    private WordBreakClass() {}

    /** The class of code point {@code cp}. */
    static byte of(int cp) {
        return cp < 0x10000 ? BMP[cp] : compute(cp);
    }

    /** Whether {@code c} is absorbed into the preceding character (WB4). */
    static boolean extendsPrevious(byte c) {
        return c == EXTEND || c == SOUTH_EAST_ASIAN_MARK || c == EMOJI_MODIFIER;
    }

    /** Whether {@code c} is a class that can carry a word (letters, digits, Katakana). */
    static boolean isCore(byte c) {
        return c == LETTER || c == HEBREW || c == NUMERIC || c == KATAKANA;
    }

    private static byte compute(int cp) {
        switch (cp) {
            case 0x27:
                return SINGLE_QUOTE;
            case 0x22:
                return DOUBLE_QUOTE;
            case 0x3A, 0xB7, 0x387, 0x5F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A:
                return MID_LETTER;
            case 0x2C, 0x3B, 0x37E, 0x589, 0x60C, 0x60D, 0x66C, 0x7F8, 0x2044, 0xFE10, 0xFE14, 0xFE50,
                    0xFE54, 0xFF0C, 0xFF1B:
                return MID_NUM;
            case 0x2E, 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E:
                return MID_NUM_LET;
            case 0x200C, 0x200D, 0xFF9E, 0xFF9F:
                return EXTEND;
            case 0x200B:
                return OTHER;
            case 0x202F:
                return EXTEND_NUM_LET;
            case 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309B, 0x309C, 0x30A0, 0x30FC, 0xFF70:
                return KATAKANA;
            case 0x66B:
                return NUMERIC;
            default:
                break;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK) {
            return isSouthEastAsian(cp) ? SOUTH_EAST_ASIAN_MARK : EXTEND;
        }
        if (type == Character.FORMAT) {
            return EXTEND;
        }
        if (cp >= 0x1F3FB && cp <= 0x1F3FF) {
            return EMOJI_MODIFIER;
        }
        if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
            return REGIONAL_INDICATOR;
        }
        if (type == Character.CONNECTOR_PUNCTUATION) {
            return EXTEND_NUM_LET;
        }
        if (type == Character.DECIMAL_DIGIT_NUMBER) {
            return NUMERIC;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        if (script == Character.UnicodeScript.KATAKANA) {
            return KATAKANA;
        }
        if (script == Character.UnicodeScript.HIRAGANA) {
            return HIRAGANA;
        }
        if (isSouthEastAsian(cp)) {
            return SOUTH_EAST_ASIAN;
        }
        if (Character.isIdeographic(cp)) {
            // Only Han ideographs are tokens; others (Tangut, Nushu, U+3006) are word-break Other.
            return script == Character.UnicodeScript.HAN ? HAN : OTHER;
        }
        if (Character.isAlphabetic(cp) || isExtraLetter(cp)) {
            if (script == Character.UnicodeScript.HEBREW && type == Character.OTHER_LETTER) {
                return HEBREW;
            }
            return LETTER;
        }
        if (script == Character.UnicodeScript.HAN) {
            return HAN;
        }
        if (cp > 0x7F && (Character.isExtendedPictographic(cp) || Character.isEmoji(cp))) {
            return EMOJI;
        }
        return OTHER;
    }

    /** Non-alphabetic characters that Unicode 9's word-break data lists as ALetter. */
    private static boolean isExtraLetter(int cp) {
        return (cp >= 0x2C2 && cp <= 0x2C5) || (cp >= 0x2D2 && cp <= 0x2D7) || (cp >= 0x2DE && cp <= 0x2DF)
                || cp == 0x2ED || (cp >= 0x2EF && cp <= 0x2FF) || (cp >= 0x55B && cp <= 0x55C) || cp == 0x55E
                || cp == 0x5F3 || (cp >= 0xA720 && cp <= 0xA721) || (cp >= 0xA789 && cp <= 0xA78A)
                || cp == 0xAB5B;
    }

    /**
     * Characters with Line_Break=Complex_Context, approximated: the letters, marks, symbols and
     * non-decimal numbers of the South-East Asian scripts (Tai Tham and Tai Viet punctuation too),
     * not their decimal digits, their other punctuation or the Khmer symbols block.
     */
    private static boolean isSouthEastAsian(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        switch (script) {
            case THAI, LAO, MYANMAR, KHMER, TAI_LE, NEW_TAI_LUE, TAI_THAM, TAI_VIET, AHOM:
                break;
            default:
                return false;
        }
        if ((cp >= 0x19E0 && cp <= 0x19FF) || (cp >= 0x17F0 && cp <= 0x17F9) || cp == 0x1A7F) {
            return false; // Khmer symbols and numeral signs, Tai Tham cryptogrammic dot
        }
        return switch (Character.getType(cp)) {
            case Character.OTHER_LETTER, Character.MODIFIER_LETTER, Character.NON_SPACING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.OTHER_SYMBOL, Character.OTHER_NUMBER -> true;
            case Character.OTHER_PUNCTUATION -> script == Character.UnicodeScript.TAI_THAM
                    || script == Character.UnicodeScript.TAI_VIET;
            default -> false;
        };
    }
}
