package dev.vdb.index.text;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Object2IntHashMap;

/**
 * One document's analysed text: its distinct terms with their frequencies, and its length (the
 * number of terms, repeats included). The unit of incremental persistence: the engine can store
 * {@link #toBytes()} per ordinal in the same write batch as the point, and on open feed
 * {@link #fromBytes} records to {@link InvertedIndex#putAnalyzed} without analysing
 * again.
 *
 * <p>Byte format, version 1 (big-endian): {@code byte version, int length, int n, n x (UTF term, int freq)}.
 *
 * <p>Immutable by convention (arrays are not copied); thread-safe.
 *
 * @param terms distinct terms, in first-occurrence order
 * @param freqs their frequencies (>= 1)
 * @param length total number of terms
 */
public record AnalyzedText(String[] terms, int[] freqs, int length) {

    static final byte VERSION = 1;

    /** @throws IllegalArgumentException if the arrays differ in length or the counts are inconsistent */
    public AnalyzedText {
        if (terms.length != freqs.length) {
            throw new IllegalArgumentException("freqs: length " + freqs.length + " != terms length " + terms.length);
        }
        long total = 0;
        for (int i = 0; i < freqs.length; i++) {
            if (freqs[i] < 1) {
                throw new IllegalArgumentException("freqs[" + i + "]: must be >= 1, got " + freqs[i]);
            }
            total += freqs[i];
        }
        if (total != length) {
            throw new IllegalArgumentException("length: " + length + " != sum of freqs " + total);
        }
    }

    /** Analyses {@code text} with {@code analyzer}. */
    public static AnalyzedText of(Analyzer analyzer, CharSequence text) {
        if (text == null) {
            throw new IllegalArgumentException("text: must not be null");
        }
        Object2IntHashMap<String> counts = new Object2IntHashMap<>(0);
        List<String> order = new ArrayList<>();
        int[] length = new int[1];
        analyzer.analyze(text, term -> {
            int count = counts.getValue(term);
            counts.put(term, count + 1);
            if (count == 0) {
                order.add(term);
            }
            length[0]++;
        });
        String[] terms = order.toArray(String[]::new);
        int[] freqs = new int[terms.length];
        for (int i = 0; i < terms.length; i++) {
            freqs[i] = counts.getValue(terms[i]);
        }
        return new AnalyzedText(terms, freqs, length[0]);
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + terms.length * 12);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeInt(length);
            out.writeInt(terms.length);
            for (int i = 0; i < terms.length; i++) {
                out.writeUTF(terms[i]);
                out.writeInt(freqs[i]);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The record {@link #toBytes()} wrote.
     *
     * @throws IllegalArgumentException for an unknown version or truncated bytes
     */
    public static AnalyzedText fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("analyzed text: unsupported format version " + version);
            }
            int length = in.readInt();
            int n = in.readInt();
            if (n < 0 || n > bytes.length) {
                throw new IllegalArgumentException("analyzed text: corrupt term count " + n);
            }
            String[] terms = new String[n];
            int[] freqs = new int[n];
            for (int i = 0; i < n; i++) {
                terms[i] = in.readUTF();
                freqs[i] = in.readInt();
            }
            return new AnalyzedText(terms, freqs, length);
        } catch (IOException e) {
            throw new IllegalArgumentException("analyzed text: truncated or corrupt (" + e + ")", e);
        }
    }
}
