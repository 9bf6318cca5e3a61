package dev.vdb.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a point's payload from a streaming parser straight into the maps and lists the engine
 * takes, with every number finite, and no bigger than a limit in bytes of the body: past it
 * nothing more is built, the rest of the payload is skipped token by token, and
 * {@link #OVERSIZED} is returned so that the caller can refuse it naming the point, whose id may
 * come later in the body. So a huge payload costs its bytes in the body, never a tree ten times
 * that. Thread-safe (stateless apart from the limit).
 */
final class PayloadReader {
    /** What {@link #read} returns for a payload past the limit (compared by identity). */
    static final Map<String, Object> OVERSIZED = new LinkedHashMap<>();

    private final int maxBytes;

    PayloadReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }

    /** The error for a payload past the limit at {@code field} of the point {@code id}. */
    IllegalArgumentException oversized(String field, Object id) {
        return new IllegalArgumentException(field + (id == null ? "" : " (id " + id + ")") + " is more than "
                + maxBytes + " bytes of JSON, the limit of a point's payload (--max-payload-bytes)");
    }

    /**
     * The payload object the parser is on (null for JSON null), or {@link #OVERSIZED} with the
     * parser moved past its end.
     */
    Map<String, Object> read(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        BodyReader.requireObject(p, field);
        Reading reading = new Reading(p, p.currentTokenLocation().getByteOffset());
        try {
            Object payload = reading.value(field, 0);
            // the last values are measured here: the size is checked every few values only
            return reading.past() ? OVERSIZED : castToMap(payload);
        } catch (Oversized e) {
            skipRest(p, e.depth);
            return OVERSIZED;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castToMap(Object payload) {
        return (Map<String, Object>) payload;
    }

    /** One payload being read: where it started, and values read since its size was last checked. */
    private final class Reading {
        /** Values read between two looks at the parser's offset (each look allocates a location). */
        private static final int CHECK_EVERY = 64;

        private final JsonParser p;
        private final long start;
        private int unchecked;

        Reading(JsonParser p, long start) {
            this.p = p;
            this.start = start;
        }

        boolean past() {
            return p.currentLocation().getByteOffset() - start > maxBytes;
        }

        /** The object or array the parser is on, inside {@code depth} open structures of the payload. */
        Object value(String path, int depth) throws IOException {
            if (past()) {
                throw new Oversized(depth + 1);
            }
            if (p.currentToken() == JsonToken.START_OBJECT) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (String key; (key = BodyReader.nextField(p)) != null; ) {
                    map.put(key, p.currentToken().isStructStart() ? value(path + "." + key, depth + 1)
                            : scalar(path, key, -1, depth + 1));
                }
                return map;
            }
            List<Object> list = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(p.currentToken().isStructStart() ? value(path + "[" + list.size() + "]", depth + 1)
                        : scalar(path, null, list.size(), depth + 1));
            }
            return list;
        }

        /**
         * The scalar the parser is on: under {@code key} of the object at {@code parent}, or at
         * {@code index} of the array there; the path is built only for an error.
         */
        private Object scalar(String parent, String key, int index, int depth) throws IOException {
            if (++unchecked == CHECK_EVERY) {
                unchecked = 0;
                if (past()) {
                    throw new Oversized(depth);
                }
            }
            return switch (p.currentToken()) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getNumberValue();
                case VALUE_NUMBER_FLOAT -> {
                    double d = p.getDoubleValue();
                    if (!Double.isFinite(d)) {
                        throw new IllegalArgumentException((key != null ? parent + "." + key : parent + "[" + index + "]")
                                + " must be a finite number, got " + p.getText());
                    }
                    yield d;
                }
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> null; // VALUE_NULL: the parser allows no other token here
            };
        }
    }

    /** Moves the parser to the end of the payload from {@code depth} open structures inside it. */
    private static void skipRest(JsonParser p, int depth) throws IOException {
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IllegalArgumentException("request body ends inside a payload");
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            }
        }
    }

    /** Unwinds the reading of a payload once it passed the limit. */
    private static final class Oversized extends RuntimeException {
        /** Structures open (the payload's own included) where the limit was passed. */
        final int depth;

        Oversized(int depth) {
            super(null, null, false, false);
            this.depth = depth;
        }
    }
}
