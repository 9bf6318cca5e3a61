package dev.vdb.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ServerMain} in a separate JVM (the test's own java, JVM flags and classpath), so that
 * tests can kill it for real. Its stderr (the log) goes to a file; its stdout is read for the
 * "vdb listening on" line. Not thread-safe.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("vdb listening on (http://\\S+) \\(data .+\\)");

    private final Process process;
    private final Path log;
    private final URI uri;
    private final String firstLine;

    private ServerProcess(Process process, Path log, URI uri, String firstLine) {
        this.process = process;
        this.log = log;
        this.uri = uri;
        this.firstLine = firstLine;
    }

    static ServerProcess start(Path dataDir, Path log) throws IOException, InterruptedException {
        return start(dataDir, log, List.of());
    }

    /** Starts the server with {@code extraJvmFlags} added to the test JVM's flags. */
    static ServerProcess start(Path dataDir, Path log, List<String> extraJvmFlags) throws IOException, InterruptedException {
        return start(dataDir, log, extraJvmFlags, List.of("--threads", "4"));
    }

    /** Starts the server with {@code serverArgs} after {@code --data} and {@code --port 0}. */
    static ServerProcess start(Path dataDir, Path log, List<String> extraJvmFlags, List<String> serverArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("vdb.jvm.flags", "");
        Arrays.stream(flags.trim().split("\\s+")).filter(f -> !f.isEmpty()).forEach(command::add);
        command.addAll(extraJvmFlags);
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(childClasspath());
        command.add(ServerMain.class.getName());
        command.addAll(List.of("--data", dataDir.toString(), "--port", "0"));
        command.addAll(serverArgs);
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                // keep draining so the child never blocks on a full pipe
                CompletableFuture.runAsync(() -> drain(out));
                return first;
            } catch (IOException e) {
                return null;
            }
        });
        String first;
        // a start takes seconds; on a machine loaded far beyond its cores (long crash runs) give it more
        long startSeconds = Long.getLong("vdb.server.start.seconds", 60);
        try {
            first = line.get(startSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("server did not start within " + startSeconds + " s; log: "
                    + Files.readString(log), e);
        }
        Matcher m = first == null ? null : LISTENING.matcher(first);
        if (m == null || !m.matches()) {
            p.destroyForcibly();
            throw new IllegalStateException("unexpected first line " + first + "; log: " + Files.readString(log));
        }
        return new ServerProcess(p, log, URI.create(m.group(1) + "/"), first);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discard
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** The test JVM's classpath: surefire is configured not to hide it in a manifest-only jar. */
    private static String childClasspath() {
        String cp = System.getProperty("java.class.path");
        if (!cp.contains("vdb-engine") && !cp.contains("engine/target/classes")) {
            throw new IllegalStateException("java.class.path lacks the engine (manifest-only jar?): " + cp);
        }
        return cp;
    }

    URI uri() {
        return uri;
    }

    /** The "vdb listening on" line. */
    String firstLine() {
        return firstLine;
    }

    java.net.InetSocketAddress address() {
        return new java.net.InetSocketAddress(uri.getHost(), uri.getPort());
    }

    Process process() {
        return process;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL (what {@code kill -9} sends); returns the exit status, 137 on Linux. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** SIGTERM; waits for the JVM to exit and returns its status, 143 on Linux. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not exit within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
