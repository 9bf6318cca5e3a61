package dev.vdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;

/**
 * A generator that refuses to write NaN or an infinity: JSON has no such numbers, and Jackson
 * would write them as the strings {@code "NaN"} and {@code "Infinity"}, which a client then
 * reads as a score or payload value. Inputs are validated so that none can arise (finite
 * payload numbers, vectors short enough that scores cannot overflow); one that does anyway is a
 * bug, answered 500 instead of an answer that lies. Used for every answer the server writes
 * ({@link Json#newMapper}). Not thread-safe, as the generator it wraps.
 */
final class FiniteNumberGenerator extends JsonGeneratorDelegate {

    FiniteNumberGenerator(JsonGenerator delegate) {
        super(delegate, false);
    }

    @Override
    public void writeNumber(float f) throws IOException {
        if (!Float.isFinite(f)) {
            throw refused(f);
        }
        super.writeNumber(f);
    }

    @Override
    public void writeNumber(double d) throws IOException {
        if (!Double.isFinite(d)) {
            throw refused(d);
        }
        super.writeNumber(d);
    }

    private IllegalStateException refused(double value) {
        return new IllegalStateException("refusing to write " + value + " into a JSON answer at "
                + getOutputContext().pathAsPointer() + ": JSON has no such number (a bug)");
    }
}
