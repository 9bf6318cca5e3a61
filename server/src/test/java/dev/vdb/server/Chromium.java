package dev.vdb.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium for the browser tests: found on the PATH (CI installs it, see
 * {@code .ci/run}); without it a test is skipped, saying so, except under {@code CI=true}, where
 * it fails. Runs one page in a fresh profile until closed. Not thread-safe.
 */
final class Chromium implements AutoCloseable {
    private final Process process;

    private Chromium(Process process) {
        this.process = process;
    }

    /** The chromium executable, or the test is skipped (failed under CI). */
    static Path require() {
        Optional<Path> found = find();
        if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("chromium is not installed; .ci/run installs it (apt-get install chromium)");
        }
        Assumptions.assumeTrue(found.isPresent(), "chromium is not installed (apt-get install chromium); skipped");
        return found.get();
    }

    static Optional<Path> find() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Opens {@code url} in headless Chromium with a new profile; the page runs until {@link #close}. */
    static Chromium open(Path executable, String url, Path workDir, String... extraFlags) throws IOException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile));
        command.addAll(List.of(extraFlags));
        command.add(url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("chromium.log").toFile()).start();
        return new Chromium(p);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

}
