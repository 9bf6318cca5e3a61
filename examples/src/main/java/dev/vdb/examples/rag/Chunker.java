package dev.vdb.examples.rag;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a text into chunks of whole sentences, each at most {@code maxChars} long (a longer
 * sentence is a chunk of its own), consecutive chunks sharing their boundary sentence so that a
 * fact split across two chunks is still whole in one. Immutable and thread-safe.
 */
public final class Chunker {

    private final int maxChars;

    /** @throws IllegalArgumentException when maxChars is below 1 */
    public Chunker(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be at least 1, got " + maxChars);
        }
        this.maxChars = maxChars;
    }

    public List<String> chunks(String text) {
        List<String> sentences = sentences(text);
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (start < sentences.size()) {
            StringBuilder chunk = new StringBuilder(sentences.get(start));
            int end = start + 1;
            while (end < sentences.size() && chunk.length() + 1 + sentences.get(end).length() <= maxChars) {
                chunk.append(' ').append(sentences.get(end++));
            }
            chunks.add(chunk.toString());
            // the next chunk starts with this one's last sentence, unless that would not move on
            start = end == sentences.size() ? end : Math.max(start + 1, end - 1);
        }
        return chunks;
    }

    static List<String> sentences(String text) {
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text);
        List<String> out = new ArrayList<>();
        for (int from = it.first(), to = it.next(); to != BreakIterator.DONE; from = to, to = it.next()) {
            String sentence = text.substring(from, to).strip().replaceAll("\\s+", " ");
            if (!sentence.isEmpty()) {
                out.add(sentence);
            }
        }
        return out;
    }
}
