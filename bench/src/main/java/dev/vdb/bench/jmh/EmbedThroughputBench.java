package dev.vdb.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.embed.EmbeddingModel;
import dev.vdb.embed.EmbeddingModels;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Texts per second through the built-in all-MiniLM-L6-v2 ({@code vdb-embed}): a batch of
 * {@value #BATCH} Cranfield abstracts (about 170 words each; generated sentences of similar
 * length when the dataset is missing) in one call, embedded in parallel, against the same texts
 * one call each.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class EmbedThroughputBench {

    static final int BATCH = 64;

    private EmbeddingModel model;
    private List<String> texts;
    private int next;

    @Setup
    public void load() throws IOException {
        model = EmbeddingModels.get(EmbeddingModels.ALL_MINILM_L6_V2);
        texts = new ArrayList<>();
        Optional<Path> dir = Datasets.find("cranfield");
        if (dir.isPresent()) {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(dir.get().resolve("docs.jsonl"))) {
                String text = json.readTree(line).path("text").asText("");
                if (!text.isBlank() && texts.size() < BATCH) {
                    texts.add(text);
                }
            }
        } else {
            System.err.println("cranfield dataset missing: embedding generated text instead");
            SplittableRandom random = new SplittableRandom(1);
            String[] words = {"flow", "boundary", "layer", "shock", "wing", "pressure", "heat", "transfer", "the", "of",
                "supersonic", "laminar", "turbulent", "plate", "body", "number", "a", "is", "in", "and"};
            for (int i = 0; i < BATCH; i++) {
                StringBuilder b = new StringBuilder();
                for (int w = 0; w < 170; w++) {
                    b.append(words[random.nextInt(words.length)]).append(w % 20 == 19 ? ". " : " ");
                }
                texts.add(b.toString());
            }
        }
    }

    /** One call embedding the whole batch: its texts run in parallel, one per core. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[][] batch() {
        return model.embed(texts);
    }

    /** One text per call, one after another. */
    @Benchmark
    public float[] single() {
        next = (next + 1) % texts.size();
        return model.embed(texts.get(next));
    }
}
