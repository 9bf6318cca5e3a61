package dev.vdb.index;

/**
 * A set of accepted ordinals, consulted by searches. {@link #ALL} accepts every ordinal;
 * a filter is never {@code null}.
 *
 * <p>Implementations must be safe for concurrent reads.
 */
public interface Bits {

    /** Accepts every ordinal. */
    Bits ALL = new Bits() {
        @Override
        public boolean get(int ordinal) {
            return true;
        }

        @Override
        public String toString() {
            return "Bits.ALL";
        }
    };

    /** Whether {@code ordinal} is accepted. */
    boolean get(int ordinal);
}
