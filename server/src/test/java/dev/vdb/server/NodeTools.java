package dev.vdb.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Node and the npm packages of {@code src/test/node} (Qdrant's JS client, playwright-core) for
 * the tests that drive the server from JavaScript. The packages are installed once into
 * {@code target/node} with {@code npm ci} from the committed lock file, and reused while the lock
 * file is unchanged. Without node or npm a test is skipped, saying so, except under
 * {@code CI=true} (CI installs them, see {@code .ci/run}). Not thread-safe.
 */
final class NodeTools {
    private static final Path SOURCE = Path.of("src", "test", "node");
    static final Path DIR = Path.of("target", "node");

    private NodeTools() {}

    /** Installs the packages when needed and returns the directory holding them and the scripts. */
    static Path require() throws IOException, InterruptedException {
        boolean present = onPath("node") && onPath("npm");
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("node and npm are not installed; .ci/run installs them");
        }
        Assumptions.assumeTrue(present, "node and npm are not installed (apt-get install nodejs npm); skipped");
        Files.createDirectories(DIR);
        byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
        Path installedLock = DIR.resolve("node_modules").resolve(".vdb-installed-lock.json");
        boolean current = Files.exists(installedLock) && java.util.Arrays.equals(lock, Files.readAllBytes(installedLock));
        try (var files = Files.list(SOURCE)) {
            for (Path f : files.toList()) {
                Files.copy(f, DIR.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!current) {
            run(DIR, 300, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            Files.write(installedLock, lock);
        }
        return DIR;
    }

    /** Runs a command in {@code dir}; its stdout, or IllegalStateException with its output when it fails. */
    static String run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile("node-stderr", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            String stdout = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n"
                        + stdout + "\n" + Files.readString(err));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(File.pathSeparator)));
        return dirs.stream().anyMatch(d -> Files.isExecutable(Path.of(d, name)));
    }
}
