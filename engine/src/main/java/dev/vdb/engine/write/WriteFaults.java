package dev.vdb.engine.write;

/**
 * Failure injection for tests, as Lucene's {@code MockDirectoryWrapper} and RocksDB's
 * fault-injection file system do: the write path calls {@link #at} at each {@link WriteStep},
 * and an injector may throw there. Production passes {@link #NONE}.
 */
@FunctionalInterface
public interface WriteFaults {

    WriteFaults NONE = step -> { };

    /** Called when a write reaches {@code step}; may throw any exception or error. */
    void at(WriteStep step);
}
