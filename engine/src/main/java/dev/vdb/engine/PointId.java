package dev.vdb.engine;

/**
 * A point's external id: a non-negative integer or a non-empty string of at most
 * {@value #MAX_STRING_BYTES} UTF-8 bytes. A string id must be well-formed UTF-16 (no lone
 * surrogate): ids are stored as UTF-8, which cannot encode a lone surrogate, so two such ids
 * would otherwise be stored under one key. Inside the index points are dense int ordinals; ids
 * are mapped once, at the edge.
 */
public sealed interface PointId permits PointId.Num, PointId.Str {

    int MAX_STRING_BYTES = 512;

    static PointId of(long id) {
        return new Num(id);
    }

    static PointId of(String id) {
        return new Str(id);
    }

    /** The id as JSON would carry it: a {@link Long} or a {@link String}. */
    Object value();

    record Num(long id) implements PointId {
        public Num {
            if (id < 0) {
                throw new IllegalArgumentException("id must be a non-negative integer or a string, got " + id);
            }
        }

        @Override
        public Object value() {
            return id;
        }

        @Override
        public String toString() {
            return Long.toString(id);
        }
    }

    record Str(String id) implements PointId {
        public Str {
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("id must not be empty");
            }
            int lone = loneSurrogate(id);
            if (lone >= 0) {
                throw new IllegalArgumentException("id must be valid Unicode text, got " + shown(id)
                        + " with a lone surrogate \\u" + Integer.toHexString(id.charAt(lone)).toUpperCase(java.util.Locale.ROOT)
                        + " at index " + lone);
            }
            if (id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException("id must be at most " + MAX_STRING_BYTES
                        + " UTF-8 bytes, got one of " + id.length() + " characters starting " + shown(id));
            }
        }

        /** Index of the first surrogate that is not half of a pair, or -1. */
        private static int loneSurrogate(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return i;
                }
            }
            return -1;
        }

        /** The id's first 20 characters quoted for a message, surrogates escaped (a message must encode). */
        private static String shown(String s) {
            StringBuilder out = new StringBuilder("'");
            int end = Math.min(20, s.length());
            for (int i = 0; i < end; i++) {
                char c = s.charAt(i);
                if (Character.isSurrogate(c)) {
                    out.append("\\u").append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT));
                } else {
                    out.append(c);
                }
            }
            return out.append(end < s.length() ? "...'" : "'").toString();
        }

        @Override
        public Object value() {
            return id;
        }

        @Override
        public String toString() {
            return '"' + id + '"';
        }
    }
}
