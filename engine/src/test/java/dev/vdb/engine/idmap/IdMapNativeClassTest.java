package dev.vdb.engine.idmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The id map's Chronicle Map finds its state class shipped in the engine
 * ({@code net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native}) instead of generating
 * and compiling one at run time, and that class is exactly what the Chronicle Values on the
 * class path generates: the oracle is Chronicle's own generator, so a Chronicle upgrade that
 * changes the class fails here (the fresh source is then written to {@code target/}).
 */
class IdMapNativeClassTest {

    private static final String STATE = "net.openhft.chronicle.hash.VanillaGlobalMutableState";
    private static final String SIMPLE_NAME = "VanillaGlobalMutableState$$Native";
    private static final Path SHIPPED = Path.of("src/main/java/net/openhft/chronicle/hash", SIMPLE_NAME + ".java");

    @Test
    void theShippedClassIsWhatChronicleGenerates() throws Exception {
        String generated = generatedSource();
        String shipped = Files.readString(SHIPPED);
        String body = shipped.substring(shipped.indexOf("*/") + 2).strip();
        if (!body.equals(generated.strip())) {
            Path fresh = Path.of("target", SIMPLE_NAME + ".java");
            Files.writeString(fresh, generated);
            assertEquals(generated.strip(), body, SHIPPED + " is not what this Chronicle Values generates; its source is in "
                    + fresh.toAbsolutePath() + ": put it below the file's comment");
        }
    }

    @Test
    void chronicleLoadsTheShippedClassInsteadOfCompilingOne() throws Exception {
        Class<?> state = Class.forName(STATE);
        Class<?> shipped = Class.forName(STATE + "$$Native");
        Class<?> used = (Class<?>) Class.forName("net.openhft.chronicle.values.Values")
                .getMethod("nativeClassFor", Class.class).invoke(null, state);
        assertSame(shipped, used);
        assertEquals(IdMap.class.getProtectionDomain().getCodeSource().getLocation(),
                used.getProtectionDomain().getCodeSource().getLocation(), "loaded from the engine's classes, not compiled");
    }

    /** What Chronicle Values generates for the state class (its generator is package-private). */
    private static String generatedSource() throws ReflectiveOperationException {
        Class<?> model = Class.forName("net.openhft.chronicle.values.ValueModel");
        Method acquire = model.getDeclaredMethod("acquire", Class.class);
        acquire.setAccessible(true);
        Method generate = Class.forName("net.openhft.chronicle.values.Generators")
                .getDeclaredMethod("generateNativeClass", model, String.class);
        generate.setAccessible(true);
        return (String) generate.invoke(null, acquire.invoke(null, Class.forName(STATE)), SIMPLE_NAME);
    }
}
