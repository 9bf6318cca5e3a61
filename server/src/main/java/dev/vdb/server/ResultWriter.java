package dev.vdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Writes the {@code result} value of a successful answer; the envelope is written around it. */
@FunctionalInterface
interface ResultWriter {
    void write(JsonGenerator g) throws IOException;
}
