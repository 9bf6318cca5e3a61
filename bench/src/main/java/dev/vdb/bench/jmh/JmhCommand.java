package dev.vdb.bench.jmh;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./vdb bench jmh [REGEX]}: runs the JMH benchmarks of this module. Forks inherit this
 * JVM's module and access flags (the Vector API, and {@code --sun-misc-unsafe-memory-access}
 * on JDK 24+), on top of each benchmark's own {@code @Fork(jvmArgsAppend)}.
 */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        description = "Run JMH micro-benchmarks (distance kernels vs the scalar loop, ...).")
public final class JmhCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", defaultValue = "dev\\.vdb\\.bench\\.jmh\\..*",
            description = "Benchmark regex (default: all).")
    String include;

    @Option(names = "--quick", description = "1 fork, 2×1 s warm-up, 3×1 s measurement.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write JMH's JSON result here.")
    String json;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=V1,V2", description = {
            "Runs the benchmarks' @Param NAME with these values only (repeatable), as JMH's -p:",
            "e.g. -p set=images -p path=api-2-writers,index-batches -p batch=1,1000."})
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc")) {
                flags.add(arg);
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder().include(include).jvmArgsPrepend(flags.toArray(String[]::new));
        if (quick) {
            options.forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        for (String param : params) {
            int eq = param.indexOf('=');
            if (eq < 1 || eq == param.length() - 1) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--param must be NAME=V1[,V2...], got '" + param + "'");
            }
            options.param(param.substring(0, eq), param.substring(eq + 1).split(","));
        }
        if (json != null) {
            options.resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON).result(json);
        }
        new Runner(options.build()).run();
        return 0;
    }
}
