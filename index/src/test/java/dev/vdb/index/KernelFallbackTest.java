package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernels are chosen once per JVM: the Vector API where its module is loaded (as in this
 * test JVM), the scalar loops with one warning where it is not, and a JVM started without
 * {@code --add-modules=jdk.incubator.vector} still searches correctly instead of failing with
 * {@code NoClassDefFoundError}.
 */
class KernelFallbackTest {

    private static final String WARNING = "vdb falls back to scalar distance kernels";

    @Test
    void thisJvmHasTheVectorModuleAndUsesTheSimdKernels() {
        assertTrue(ModuleLayer.boot().findModule(VectorKernels.VECTOR_MODULE).isPresent(),
                "the test JVM runs with --add-modules=" + VectorKernels.VECTOR_MODULE);
        assertInstanceOf(PanamaKernels.class, VectorKernels.implementation());
    }

    @Test
    void aJvmWithoutTheVectorModuleWarnsOnceAndSearchesExactlyRight(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : System.getProperty("vdb.jvm.flags", "").split("\\s+")) {
            if (!flag.isBlank() && !flag.contains(VectorKernels.VECTOR_MODULE)) {
                command.add(flag);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FallbackSearchMain.class.getName()));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process child = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child JVM did not finish");
        String stdout = read(out);
        String stderr = read(err);

        assertEquals(0, child.exitValue(), "child failed:\n" + stdout + stderr);
        assertTrue(stdout.contains("kernels: ScalarKernels"), stdout);
        for (VectorSimilarity similarity : VectorSimilarity.values()) {
            assertTrue(stdout.contains(similarity + ": " + FallbackSearchMain.QUERIES + " exact answers"), stdout);
        }
        assertEquals(1, stderr.split(WARNING, -1).length - 1, "expected the warning once:\n" + stderr);
        assertTrue(stderr.lines().anyMatch(l -> l.startsWith("WARNING: " + WARNING)), stderr);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
