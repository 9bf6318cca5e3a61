package dev.vdb.engine;

/**
 * A point's external id: a non-negative integer or a non-empty string of at most
 * {@value #MAX_STRING_BYTES} UTF-8 bytes. Inside the index points are dense int ordinals;
 * ids are mapped once, at the edge.
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
            if (id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
                throw new IllegalArgumentException("id must be at most " + MAX_STRING_BYTES
                        + " UTF-8 bytes, got one of " + id.length() + " characters starting '"
                        + id.substring(0, Math.min(20, id.length())) + "'");
            }
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
