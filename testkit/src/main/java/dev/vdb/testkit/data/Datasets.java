package dev.vdb.testkit.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared evaluation datasets: {@code $VDB_DATASETS}, else {@code ../shared/datasets}
 * from the working directory or any of its parents.
 *
 * <p>Tests call {@link #find}: when a set is missing they fall back to generated data and say
 * so, except with {@code CI=true}, where a missing set fails the run. With
 * {@code VDB_DATASETS=none} every set counts as missing and none is an error, as on a fresh
 * clone with nothing beside it (CI runs the suite this way too).
 */
public final class Datasets {

    private Datasets() {}

    /** The value of {@code VDB_DATASETS} that hides the shared datasets. */
    public static final String NONE = "none";

    /** The datasets root, if one is found. */
    public static Optional<Path> root() {
        String env = System.getenv("VDB_DATASETS");
        if (hidden()) {
            return Optional.empty();
        }
        if (env != null && Files.isDirectory(Path.of(env))) {
            return Optional.of(Path.of(env).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/datasets").normalize();
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The folder of dataset {@code name} (e.g. {@code glove-100-angular}), or empty when it is
     * missing and this is not CI.
     *
     * @throws IllegalStateException when it is missing and {@code CI=true}
     */
    public static Optional<Path> find(String name) {
        Optional<Path> dir = root().map(r -> r.resolve(name)).filter(Files::isDirectory);
        if (dir.isEmpty()) {
            if (!hidden() && "true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("dataset " + name + " not found (looked at $VDB_DATASETS and "
                        + "../shared/datasets); CI=true requires the real data");
            }
            System.err.println("[datasets] " + name + " not found: falling back to generated data");
        }
        return dir;
    }

    /** Whether {@code VDB_DATASETS=none} asks to run as on a fresh clone. */
    public static boolean hidden() {
        return NONE.equals(System.getenv("VDB_DATASETS"));
    }
}
