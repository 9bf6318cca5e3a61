package dev.vdb.index.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

/**
 * Our Porter stemmer equals Lucene's PorterStemFilter on generated words built to hit every rule:
 * random consonant/vowel stems (y included) followed by the suffixes of every step.
 */
class PorterStemmerTest {

    private static final String[] SUFFIXES = {
        "", "s", "ss", "sses", "ies", "eed", "ed", "ing", "at", "bl", "iz", "y", "ational", "tional", "enci",
        "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization", "ation", "ator", "alism", "iveness",
        "fulness", "ousness", "aliti", "iviti", "biliti", "logi", "icate", "ative", "alize", "iciti", "ical",
        "ful", "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "sion",
        "tion", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "e", "ll", "le", "ings", "edly", "ations",
    };

    @Test
    void generatedWordsStemLikeLucene() {
        SplittableRandom random = new SplittableRandom(41);
        String letters = "bcdfghjklmnpqrstvwxzaeiouyyy";
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            StringBuilder word = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                word.append(letters.charAt(random.nextInt(letters.length())));
            }
            word.append(SUFFIXES[random.nextInt(SUFFIXES.length)]);
            if (random.nextInt(4) == 0) {
                word.append(SUFFIXES[random.nextInt(SUFFIXES.length)]);
            }
            if (!word.isEmpty()) {
                words.add(word.toString());
            }
        }
        List<String> expected = luceneStems(String.join(" ", words));
        assertEquals(words.size(), expected.size());
        char[] buffer = new char[64];
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            word.getChars(0, word.length(), buffer, 0);
            int length = PorterStemmer.stem(buffer, word.length());
            assertEquals(expected.get(i), new String(buffer, 0, length), word);
        }
    }

    private static List<String> luceneStems(String text) {
        List<String> stems = new ArrayList<>();
        WhitespaceTokenizer tokenizer = new WhitespaceTokenizer();
        tokenizer.setReader(new StringReader(text));
        try (TokenStream stream = new PorterStemFilter(tokenizer)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                stems.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stems;
    }
}
