package dev.vdb.examples.rag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A document to index: a body and its metadata, read from a classpath text file whose first
 * lines are {@code key: value} pairs up to an empty line.
 *
 * @param name the file's name, used as the source
 */
public record SourceDocument(String name, Map<String, Object> metadata, String body) {

    /** Reads {@code /rag/NAME}; a value made of digits becomes an integer. */
    public static SourceDocument load(String name) {
        try (InputStream in = SourceDocument.class.getResourceAsStream("/rag/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no document /rag/" + name + " on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = text.indexOf("\n\n");
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("source", name);
            for (String line : text.substring(0, split).split("\n")) {
                int colon = line.indexOf(':');
                String value = line.substring(colon + 1).strip();
                metadata.put(line.substring(0, colon).strip(), value.matches("\\d+") ? Integer.valueOf(value) : value);
            }
            return new SourceDocument(name, metadata, text.substring(split + 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
