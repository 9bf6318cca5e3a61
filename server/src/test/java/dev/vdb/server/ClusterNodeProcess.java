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

/**
 * One cluster node: {@code ServerMain} with {@code --node-id}, {@code --cluster-port} and
 * {@code --peers} in its own JVM, which tests kill ({@code SIGKILL}), pause ({@code SIGSTOP})
 * and resume. Its log goes to a file that every start appends to. Not thread-safe.
 */
final class ClusterNodeProcess {

    private final int id;
    private final int httpPort;
    private final int clusterPort;
    private final String peers;
    private final Path dataDir;
    private final Path log;
    private final List<String> jvmFlags;
    private Process process;

    ClusterNodeProcess(int id, int httpPort, int clusterPort, String peers, Path dataDir, Path log, List<String> jvmFlags) {
        this.id = id;
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
        this.peers = peers;
        this.dataDir = dataDir;
        this.log = log;
        this.jvmFlags = jvmFlags;
    }

    int id() {
        return id;
    }

    Path dataDir() {
        return dataDir;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + httpPort + "/");
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Starts the JVM and waits for its "vdb listening" line. */
    void start() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Arrays.stream(System.getProperty("vdb.jvm.flags", "").trim().split("\\s+")).filter(f -> !f.isEmpty())
                .forEach(command::add);
        command.addAll(jvmFlags);
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                "--data", dataDir.toString(), "--port", Integer.toString(httpPort), "--threads", "8",
                "--node-id", Integer.toString(id), "--cluster-port", Integer.toString(clusterPort), "--peers", peers));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // Own thread, not the common pool: on 2 cores it has one thread, which a drain would hold forever.
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("node-" + id + "-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                first.complete(out.readLine());
                while (out.readLine() != null) {
                    // drain, so the node never blocks on a full pipe
                }
            } catch (IOException e) {
                first.complete(null);
            }
        });
        String line;
        try {
            line = first.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            String threads = threadDump(p.pid());
            p.destroyForcibly();
            throw new IllegalStateException("node " + id + " did not start within 180 s; log: " + tail()
                    + "\nthreads:\n" + threads, e);
        }
        if (line == null || !line.startsWith("vdb listening on")) {
            p.destroyForcibly();
            throw new IllegalStateException("node " + id + " printed " + line + "; log: " + tail());
        }
        process = p;
    }

    /** SIGKILL, as {@code kill -9}. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM and wait for the exit. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("node " + id + " did not exit within 60 s of SIGTERM");
        }
    }

    /** SIGSTOP: the node freezes, sockets open, as a node cut off from the network. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (k.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    private static String threadDump(long pid) {
        try {
            Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            j.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    String tail() {
        try {
            String all = Files.readString(log);
            return all.substring(Math.max(0, all.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
