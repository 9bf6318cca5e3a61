package dev.vdb.index.text;

import static dev.vdb.index.text.WordBreakClass.DOUBLE_QUOTE;
import static dev.vdb.index.text.WordBreakClass.EMOJI;
import static dev.vdb.index.text.WordBreakClass.EMOJI_MODIFIER;
import static dev.vdb.index.text.WordBreakClass.EXTEND_NUM_LET;
import static dev.vdb.index.text.WordBreakClass.HAN;
import static dev.vdb.index.text.WordBreakClass.HEBREW;
import static dev.vdb.index.text.WordBreakClass.HIRAGANA;
import static dev.vdb.index.text.WordBreakClass.KATAKANA;
import static dev.vdb.index.text.WordBreakClass.LETTER;
import static dev.vdb.index.text.WordBreakClass.MID_LETTER;
import static dev.vdb.index.text.WordBreakClass.MID_NUM;
import static dev.vdb.index.text.WordBreakClass.MID_NUM_LET;
import static dev.vdb.index.text.WordBreakClass.NUMERIC;
import static dev.vdb.index.text.WordBreakClass.REGIONAL_INDICATOR;
import static dev.vdb.index.text.WordBreakClass.SINGLE_QUOTE;
import static dev.vdb.index.text.WordBreakClass.SOUTH_EAST_ASIAN;
import static dev.vdb.index.text.WordBreakClass.SOUTH_EAST_ASIAN_MARK;

/**
 * Splits text into words at Unicode word boundaries (UAX#29), producing the same tokens as
 * Lucene's {@code StandardTokenizer}: runs of letters and digits joined by the UAX#29 rules
 * ("u.s.a", "3.5", "1,000", "o'neil", "snake_case"), single Han and Hiragana characters, runs of
 * Katakana and of South-East Asian scripts, and emoji sequences. Punctuation, symbols and spaces
 * are dropped. Case is kept.
 *
 * <p>Like Lucene, a token is at most {@link #MAX_TOKEN_LENGTH} chars: a longer word is cut into
 * pieces, each the longest valid token that fits.
 *
 * <p>Stateless and thread-safe; allocates nothing itself (the sink receives offsets).
 */
public final class StandardTokenizer {

    /** Lucene's default maximum token length, in UTF-16 chars. */
    public static final int MAX_TOKEN_LENGTH = 255;

    /** Receives each token as the range {@code [start, end)} of the text. */
    @FunctionalInterface
    public interface TokenSink {
        void token(CharSequence text, int start, int end);
    }

    private static final byte START = 0;
    private static final byte AFTER_CORE = 1;
    private static final byte AFTER_EXTEND_NUM_LET = 2;
    private static final byte AFTER_HEBREW_QUOTE = 3;

    private StandardTokenizer() {}

    /** Calls {@code sink} for every token of {@code text}, in order. */
    public static void tokenize(CharSequence text, TokenSink sink) {
        int length = text.length();
        int pos = 0;
        while (pos < length) {
            int cp = Character.codePointAt(text, pos);
            byte cls = WordBreakClass.of(cp);
            int limit = Math.min(length, pos + MAX_TOKEN_LENGTH);
            int end = switch (cls) {
                case LETTER, HEBREW, NUMERIC, KATAKANA, EXTEND_NUM_LET -> matchWord(text, pos, limit);
                case HAN, HIRAGANA -> unitEnd(text, pos, limit);
                case SOUTH_EAST_ASIAN, SOUTH_EAST_ASIAN_MARK -> matchSouthEastAsian(text, pos, limit);
                case EMOJI, EMOJI_MODIFIER -> matchEmoji(text, pos, limit);
                case REGIONAL_INDICATOR -> matchFlag(text, pos, limit);
                default -> pos;
            };
            if (end > pos) {
                sink.token(text, pos, end);
                pos = end;
            } else {
                pos += Character.charCount(cp);
            }
        }
    }

    /**
     * The end of the longest word starting at {@code start} (or {@code start} if none): letters
     * and digits glue to each other (WB5, WB8-10), Katakana to Katakana (WB13), anything to a
     * connector such as '_' (WB13a/b), and a single mid character joins two letters (':', '.',
     * '\'') or two digits (',', ';', '.', '\'') (WB6/7, WB11/12); Hebrew letters also take a
     * trailing single quote or an inner double quote (WB7a-c).
     */
    private static int matchWord(CharSequence text, int start, int limit) {
        int pos = start;
        int accepted = start;
        byte state = START;
        byte last = 0;
        // Lucene's grammar applies the Hebrew quote rules only to a letter that starts a new
        // letter group (not one reached through a mid character), and a letter reached through a
        // double quote closes its group (no mid character may follow it).
        boolean lastStartsGroup = false;
        boolean lastClosesGroup = false;
        boolean sawCore = false;
        while (pos < limit) {
            int cp = Character.codePointAt(text, pos);
            int next = pos + Character.charCount(cp);
            if (next > limit) {
                break;
            }
            byte cls = WordBreakClass.of(cp);
            if (WordBreakClass.isCore(cls)) {
                boolean joins = switch (state) {
                    case START, AFTER_EXTEND_NUM_LET -> true;
                    case AFTER_CORE -> gluesDirectly(last, cls);
                    default -> cls != KATAKANA; // after a Hebrew letter and its quote
                };
                if (!joins) {
                    break;
                }
                last = cls;
                lastStartsGroup = true;
                lastClosesGroup = false;
                state = AFTER_CORE;
                sawCore = true;
                pos = skipExtend(text, next, limit);
                accepted = pos;
            } else if (cls == EXTEND_NUM_LET) {
                state = AFTER_EXTEND_NUM_LET;
                pos = skipExtend(text, next, limit);
                if (sawCore) {
                    accepted = pos;
                }
            } else if (state == AFTER_CORE && isMid(cls) && !lastClosesGroup) {
                int afterMid = skipExtend(text, next, limit);
                byte following = classAt(text, afterMid, limit);
                boolean letters = (last == LETTER || last == HEBREW) && cls != MID_NUM
                        && (following == LETTER || following == HEBREW);
                boolean digits = last == NUMERIC && cls != MID_LETTER && following == NUMERIC;
                if (last == HEBREW && cls == SINGLE_QUOTE && lastStartsGroup) {
                    // Hebrew letter + quote closes a group; whatever follows may start the next one,
                    // which accepts at least what joining through the quote would.
                    state = AFTER_HEBREW_QUOTE;
                    pos = afterMid;
                    accepted = pos;
                } else if (letters || digits) {
                    last = following;
                    lastStartsGroup = false;
                    pos = skipExtend(text, afterMid + Character.charCount(Character.codePointAt(text, afterMid)), limit);
                    accepted = pos;
                } else {
                    break;
                }
            } else if (state == AFTER_CORE && cls == DOUBLE_QUOTE && last == HEBREW && lastStartsGroup) {
                int afterQuote = skipExtend(text, next, limit);
                if (classAt(text, afterQuote, limit) != HEBREW) {
                    break;
                }
                lastStartsGroup = false;
                lastClosesGroup = true;
                pos = skipExtend(text, afterQuote + Character.charCount(Character.codePointAt(text, afterQuote)), limit);
                accepted = pos;
            } else {
                break;
            }
        }
        return accepted;
    }

    /** Whether two word characters with nothing between them stay in one word. */
    private static boolean gluesDirectly(byte previous, byte current) {
        if (previous == KATAKANA || current == KATAKANA) {
            return previous == current;
        }
        return true;
    }

    private static boolean isMid(byte cls) {
        return cls == MID_LETTER || cls == MID_NUM || cls == MID_NUM_LET || cls == SINGLE_QUOTE;
    }

    /** The class of the code point at {@code pos}, or OTHER when it does not fit before the limit. */
    private static byte classAt(CharSequence text, int pos, int limit) {
        if (pos >= limit) {
            return WordBreakClass.OTHER;
        }
        int cp = Character.codePointAt(text, pos);
        return pos + Character.charCount(cp) > limit ? WordBreakClass.OTHER : WordBreakClass.of(cp);
    }

    /** Skips Extend, Format and ZWJ characters (WB4) from {@code pos}. */
    private static int skipExtend(CharSequence text, int pos, int limit) {
        while (pos < limit) {
            int cp = Character.codePointAt(text, pos);
            int next = pos + Character.charCount(cp);
            if (next > limit || !WordBreakClass.extendsPrevious(WordBreakClass.of(cp))) {
                break;
            }
            pos = next;
        }
        return pos;
    }

    /** One character and the Extend characters after it. */
    private static int unitEnd(CharSequence text, int pos, int limit) {
        int cp = Character.codePointAt(text, pos);
        int next = pos + Character.charCount(cp);
        return next > limit ? pos : skipExtend(text, next, limit);
    }

    private static int matchSouthEastAsian(CharSequence text, int pos, int limit) {
        int end = pos;
        while (end < limit) {
            int cp = Character.codePointAt(text, end);
            byte cls = WordBreakClass.of(cp);
            if ((cls != SOUTH_EAST_ASIAN && cls != SOUTH_EAST_ASIAN_MARK) || end + Character.charCount(cp) > limit) {
                break;
            }
            end = skipExtend(text, end + Character.charCount(cp), limit);
        }
        return end;
    }

    /** An emoji with its modifiers and presentation selectors, and ZWJ-joined emoji after it. */
    private static int matchEmoji(CharSequence text, int pos, int limit) {
        int end = unitEnd(text, pos, limit);
        while (end > pos && end < limit) {
            int cp = Character.codePointAt(text, end);
            // Modifiers and selectors were absorbed by unitEnd; a ZWJ joins the next pictograph.
            if (text.charAt(end - 1) != '\u200D' || WordBreakClass.of(cp) != EMOJI) {
                break;
            }
            int next = unitEnd(text, end, limit);
            if (next == end) {
                break;
            }
            end = next;
        }
        return end;
    }

    /** A flag: exactly two regional indicators. */
    private static int matchFlag(CharSequence text, int pos, int limit) {
        int second = unitEnd(text, pos, limit);
        if (second == pos || classAt(text, second, limit) != REGIONAL_INDICATOR) {
            return pos;
        }
        return unitEnd(text, second, limit);
    }
}
