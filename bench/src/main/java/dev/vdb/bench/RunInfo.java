package dev.vdb.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where and how a run happened, for the report header.
 *
 * @param machine CPU model, cores and OS
 * @param jdk vendor and version of the JVM that ran the bench
 * @param kernelNanos our SIMD kernel's time per distance on these vectors ({@link KernelTiming})
 */
public record RunInfo(String dataset, int baseSize, int dimension, int queries, String metric,
                      String groundTruth, BenchOptions options, String date, String machine, String jdk,
                      String command, double seconds, double kernelNanos) {

    /** CPU model (from /proc/cpuinfo where present), available processors, OS and memory. */
    public static String describeMachine() {
        String cpu = System.getProperty("os.arch");
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try {
                cpu = Files.readAllLines(info).stream().filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
            } catch (IOException e) {
                // keep the architecture only
            }
        }
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        return String.format(Locale.ROOT, "%s, %d cores, %s %s, max heap %,d MB", cpu,
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), heapMb);
    }

    /** Vendor, name and version of the JVM, and the tuning options it was started with (-X…). */
    public static String describeJdk() {
        String tuning = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).collect(Collectors.joining(" "));
        return System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + (tuning.isEmpty() ? "" : " (" + tuning + ")");
    }
}
