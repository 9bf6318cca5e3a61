package dev.vdb.bench.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of <a href="https://github.com/wg/wrk">wrk</a> (Debian package {@code wrk}) POSTing
 * prepared search bodies over keep-alive connections, and what it reported. wrk is a C event-loop
 * client, so of the CPU a run costs, little goes to the client. Runs in a child process; the
 * caller's thread waits for it.
 */
final class WrkRun {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    /** The last line of bash's {@code times}: user and system CPU time of its children. */
    private static final Pattern CHILD_TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s\\s*$");

    /**
     * @param requests answered requests, the 2xx and the others
     * @param cpuSeconds wrk's own user + system CPU time
     */
    record Result(long requests, double seconds, long errors, double p50Millis, double p99Millis, double cpuSeconds) {}

    private WrkRun() {}

    /** True when a {@code wrk} executable is on the PATH. */
    static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the bodies (one JSON document per line, into {@code bodyFile} unless it exists) and the
     * script beside it, then
     * runs wrk with {@code connections} connections on {@code threads} threads against {@code url}
     * for {@code seconds}.
     */
    static Result run(Path bodyFile, List<byte[]> bodies, String url, int connections, int threads, int seconds)
            throws IOException, InterruptedException {
        Path workDir = bodyFile.getParent();
        if (!Files.exists(bodyFile)) {
            try (var out = Files.newOutputStream(bodyFile)) {
                for (byte[] body : bodies) {
                    out.write(body);
                    out.write('\n');
                }
            }
        }
        Path script = workDir.resolve("search.lua");
        if (!Files.exists(script)) {
            try (InputStream in = WrkRun.class.getResourceAsStream("search.lua")) {
                Files.copy(in, script);
            }
        }
        // bash's `times` reports the CPU time of wrk, which has exited by then.
        Process p = new ProcessBuilder("bash", "-c", "wrk \"$@\" && times", "wrk",
                "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), url, "--",
                bodyFile.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("wrk failed (exit " + p.exitValue() + "):\n" + out);
        }
        return parse(out);
    }

    static Result parse(String out) {
        Matcher total = find(REQUESTS, out);
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(out);
        while (percentile.find()) {
            double millis = millis(Double.parseDouble(percentile.group(2)), percentile.group(3));
            if (percentile.group(1).equals("50")) {
                p50 = millis;
            } else {
                p99 = millis;
            }
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(out);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        Matcher times = find(CHILD_TIMES, out.strip());
        double cpu = Integer.parseInt(times.group(1)) * 60 + Double.parseDouble(times.group(2))
                + Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4));
        return new Result(Long.parseLong(total.group(1)), millis(Double.parseDouble(total.group(2)), total.group(3)) / 1000,
                errors, p50, p99, cpu);
    }

    private static Matcher find(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "wrk's report has no match for %s:%n%s", pattern, out));
        }
        return m;
    }

    private static double millis(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            default -> throw new IllegalArgumentException("unknown time unit " + unit);
        };
    }
}
