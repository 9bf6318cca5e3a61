package dev.vdb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where and how a run happened, for the report header.
 *
 * @param machine CPU model, cores and OS
 * @param jdk vendor and version of the JVM that ran the bench
 */
public record RunInfo(String dataset, int baseSize, int dimension, int queries, String metric,
                      String groundTruth, BenchOptions options, String date, String machine, String jdk,
                      String command, double seconds) {

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

    public static String describeJdk() {
        return System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version");
    }
}
