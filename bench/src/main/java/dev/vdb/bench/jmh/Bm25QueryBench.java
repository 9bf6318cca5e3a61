package dev.vdb.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.index.Bits;
import dev.vdb.index.text.Bm25Params;
import dev.vdb.index.text.Bm25Query;
import dev.vdb.index.text.Bm25Searcher;
import dev.vdb.index.text.EnglishAnalyzer;
import dev.vdb.index.text.InvertedIndex;
import dev.vdb.index.text.TextHits;
import dev.vdb.testkit.data.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * One BM25 top-10 query (english analyzer, k1 1.2, b 0.75) over the Cranfield collection, its
 * 225 queries taken in turn; a generated corpus of random words when the dataset is missing.
 * Query analysis is done once in setup, so this times scoring alone. Microseconds per query.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class Bm25QueryBench {

    private Bm25Searcher searcher;
    private Bm25Query[] queries;
    private int next;

    @Setup
    public void index() throws IOException {
        List<String> docs = new ArrayList<>();
        List<String> queryTexts = new ArrayList<>();
        Optional<Path> dir = Datasets.find("cranfield");
        if (dir.isPresent()) {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(dir.get().resolve("docs.jsonl"))) {
                JsonNode doc = json.readTree(line);
                docs.add(doc.path("title").asText() + " " + doc.path("text").asText());
            }
            for (String line : Files.readAllLines(dir.get().resolve("queries.jsonl"))) {
                queryTexts.add(json.readTree(line).path("text").asText());
            }
        } else {
            SplittableRandom random = new SplittableRandom(5);
            for (int d = 0; d < 1_400; d++) {
                docs.add(randomWords(random, 120));
            }
            for (int q = 0; q < 225; q++) {
                queryTexts.add(randomWords(random, 8));
            }
        }
        InvertedIndex index = new InvertedIndex(EnglishAnalyzer.INSTANCE);
        for (int i = 0; i < docs.size(); i++) {
            index.put(i, docs.get(i));
        }
        searcher = new Bm25Searcher(index, Bm25Params.DEFAULT);
        queries = queryTexts.stream().map(t -> Bm25Query.parse(index, t)).toArray(Bm25Query[]::new);
    }

    @Benchmark
    public TextHits top10() {
        return searcher.search(queries[next++ % queries.length], 10, Bits.ALL);
    }

    private static String randomWords(SplittableRandom random, int words) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            text.append("w").append((int) Math.sqrt(random.nextInt(1_000_000))).append(' ');
        }
        return text.toString();
    }
}
