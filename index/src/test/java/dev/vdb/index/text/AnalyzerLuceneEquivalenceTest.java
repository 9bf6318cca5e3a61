package dev.vdb.index.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.testkit.lucene.LuceneAnalyzers;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our analyzers must produce exactly Lucene's token streams (Lucene is the oracle). */
@Tag("datasets") // reads the shared datasets, else generated data: CI runs it both ways
class AnalyzerLuceneEquivalenceTest {

    private static final Cranfield CORPUS = Cranfield.load();

    private static final List<String> VARIED = List.of(
            "The U.S.A. spent $1,000.50 on 3.5 wings; version 2.0.1, ratio 1:2 and 3,4.",
            "John's and JOHN'S books; the students' papers; O'Neil’s car; rock'n'roll",
            "state-of-the-art high-speed flow, e-mail, x-15, mach-2, re-entry",
            "Café naïve Ærø façade Zürich São Paulo İstanbul straße ΣΊΣΥΦΟΣ Ελλάδα",
            "snake_case __init__ _x x_ a__b 1_000 ___",
            "wi-fi 192.168.0.1 http://example.com/a?b=c user@example.org #tag @name",
            "a.b.c. a..b 1..2 1.a a.1 a'1 1'000 a:b a::b a:1 1:a ab' 'ab'",
            "日本語のテキスト カタカナー ひらがな 中文字 한국어 텍스트 ไทยภาษา ລາວ",
            "שלום ע\"ה ג' עב\"ר a\"b",
            "emoji 😀 👍🏽 👨‍👩‍👧 🇫🇷 ❤️ 1️⃣ © ® ™ ⓜabc",
            "soft\u00ADhyphen zero\u200Bwidth e\u0301cole combining\u0301 \u0301lead",
            "numbers: -7 +8 1e10 0x1F 3/4 50% 12th 1990s 2,5,6 ١٢٣ ٣٫٥",
            "quotes \"double\" 'single' `back` «guillemets» „low“ (paren) [bracket] {brace}",
            "tabs\tand\nnewlines\r\nand\u00A0nbsp\u2003em-space\u3000ideographic-space",
            "caresses ponies ties caress cats feed agreed disabled matting mating meeting milling messing meetings",
            "relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli "
                    + "vileli analogousli vietnamization predication operator feudalism decisiveness hopefulness "
                    + "callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti "
                    + "electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable "
                    + "defensible irritant replacement adjustment dependent adoption homologou communism activate "
                    + "angulariti homologous effective bowdlerize probate rate cease controll roll generalization "
                    + "oscillators sky skies dying lying ion aed eed oed sion tion y ys yes",
            "x".repeat(600) + " " + "a.".repeat(200) + "b " + "1,".repeat(300) + "2 " + "ab".repeat(127) + "'s");

    @Test
    void corpusTokensEqualLuceneForBothAnalyzers() {
        for (String name : List.of("standard", "english")) {
            Analyzer ours = Analyzer.named(name);
            try (org.apache.lucene.analysis.Analyzer lucene = LuceneAnalyzers.analyzer(name)) {
                int compared = 0;
                for (String text : CORPUS.docTexts()) {
                    assertEquals(LuceneAnalyzers.terms(lucene, text), ours.terms(text), name + ": " + text);
                    compared++;
                }
                for (String text : CORPUS.queryTexts()) {
                    assertEquals(LuceneAnalyzers.terms(lucene, text), ours.terms(text), name + ": " + text);
                    compared++;
                }
                assertTrue(compared >= (CORPUS.isReal() ? 1625 : 10), "compared " + compared + " texts");
            }
        }
    }

    @Test
    void variedTextsEqualLucene() {
        for (String name : List.of("standard", "english")) {
            Analyzer ours = Analyzer.named(name);
            try (org.apache.lucene.analysis.Analyzer lucene = LuceneAnalyzers.analyzer(name)) {
                for (String text : VARIED) {
                    assertEquals(LuceneAnalyzers.terms(lucene, text), ours.terms(text), name + ": " + text);
                }
            }
        }
    }

    @Test
    void randomMixturesOfWordBreakClassesEqualLucene() {
        String[] pieces = {
            "a", "B", "z", "é", "ß", "İ", "0", "7", ".", ",", "'", "’", ":", ";", "-", "_", " ", " ", "\"",
            "א", "ב", "カ", "ー", "の", "中", "ก", "\u0301", "\u00AD", "/", "\n", "٣", "한", "s", "S", "!",
        };
        SplittableRandom random = new SplittableRandom(29);
        for (String name : List.of("standard", "english")) {
            Analyzer ours = Analyzer.named(name);
            try (org.apache.lucene.analysis.Analyzer lucene = LuceneAnalyzers.analyzer(name)) {
                for (int round = 0; round < 3000; round++) {
                    StringBuilder text = new StringBuilder();
                    int length = 1 + random.nextInt(24);
                    for (int i = 0; i < length; i++) {
                        text.append(pieces[random.nextInt(pieces.length)]);
                    }
                    String s = text.toString();
                    assertEquals(LuceneAnalyzers.terms(lucene, s), ours.terms(s), name + ": [" + s + "]");
                }
            }
        }
    }

    /**
     * Every code point of the blocks that Lucene's Unicode 9 grammar and the JDK's newer Unicode
     * data agree on, alone and between letters, digits, an ideograph and Thai letters.
     */
    @Test
    void everyCodePointOfMajorBlocksTokenisesLikeLuceneInContext() {
        int[][] blocks = {
            {0x0000, 0x05FF}, {0x0600, 0x06FF}, {0x0900, 0x097F}, {0x0E00, 0x0E7F}, {0x0E80, 0x0ECD},
            {0x0ECF, 0x0EFF}, {0x1000, 0x109F}, {0x1100, 0x11FF}, {0x1780, 0x17FF}, {0x2000, 0x206F},
            {0x3000, 0x30FF}, {0x4E00, 0x9FA5}, {0xAC00, 0xD7A3}, {0xFF00, 0xFFEF}, {0x1F300, 0x1F5FF},
        };
        String[] contexts = {"", "a", "1", "中", "ก"};
        Analyzer ours = StandardAnalyzer.INSTANCE;
        int compared = 0;
        try (org.apache.lucene.analysis.Analyzer lucene = LuceneAnalyzers.analyzer("standard")) {
            for (int[] block : blocks) {
                for (int cp = block[0]; cp <= block[1]; cp++) {
                    if (!Character.isDefined(cp) || Character.getType(cp) == Character.SURROGATE) {
                        continue;
                    }
                    String c = Character.toString(cp);
                    for (String context : contexts) {
                        for (String text : List.of(context + c + context, context + c, c + context)) {
                            assertEquals(LuceneAnalyzers.terms(lucene, text), ours.terms(text),
                                    String.format("U+%04X in [%s]", cp, text));
                            compared++;
                        }
                    }
                }
            }
        }
        assertTrue(compared > 100_000, "compared " + compared);
    }

    @Test
    void unknownAnalyzerNameIsRejectedWithTheName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Analyzer.named("klingon"));
        assertTrue(e.getMessage().contains("klingon") && e.getMessage().contains("text.analyzer"), e.getMessage());
    }
}
