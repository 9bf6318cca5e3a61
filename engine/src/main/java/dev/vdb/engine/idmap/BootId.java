package dev.vdb.engine.idmap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Which boot of the machine this is (Linux's {@code /proc/sys/kernel/random/boot_id}). A process
 * killed without closing its memory-mapped files leaves them whole in the page cache, so after
 * a crash within one boot they hold every write the process made; after a reboot (a power loss)
 * they may not. {@link #UNKNOWN} elsewhere: such files are then never trusted after a crash.
 * Stateless and thread-safe.
 */
final class BootId {

    static final UUID UNKNOWN = new UUID(0, 0);
    private static final UUID CURRENT = read();

    private BootId() {}

    static UUID current() {
        return CURRENT;
    }

    private static UUID read() {
        try {
            return UUID.fromString(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim());
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            return UNKNOWN;
        }
    }
}
