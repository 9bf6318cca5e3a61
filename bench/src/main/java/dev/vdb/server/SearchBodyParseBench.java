package dev.vdb.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing a search body carrying a 384-float JSON vector, through the server's own streaming
 * parser (the code every HTTP search runs). It sits in the server's package because the parser
 * is package-private there. Average time per body in microseconds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SearchBodyParseBench {

    static final int DIMENSION = 384;

    private final RequestParser parser = new RequestParser(Json.newMapper());
    private byte[] body;

    @Setup
    public void makeBody() {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder json = new StringBuilder("{\"vector\":[");
        for (int i = 0; i < DIMENSION; i++) {
            json.append(i == 0 ? "" : ",").append((float) (random.nextDouble() * 2 - 1));
        }
        body = json.append("],\"limit\":10,\"params\":{\"hnsw_ef\":64}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public RequestParser.ParsedSearch parseSearchBody() throws IOException {
        return parser.search(new ByteArrayInputStream(body), DIMENSION);
    }
}
