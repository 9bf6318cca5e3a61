package dev.vdb.bench.collections;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./vdb bench collections}: what many collections cost (many tenants in one: {@code ./vdb bench tenants}). */
@Command(name = "collections", mixinStandardHelpOptions = true,
        description = "Cost of many collections (create, open, first search, disk, heap).")
public final class CollectionsCommand implements Callable<Integer> {

    @Option(names = "--layout", split = ",", description = "Collection counts for RocksDB's own cost of a column family versus a key prefix per collection.")
    List<Integer> layoutCounts = List.of();

    @Option(names = "--counts", split = ",", description = "Collection counts for the engine's cost of many collections.")
    List<Integer> counts = List.of();

    @Option(names = "--dimension", defaultValue = "64", description = "Vector dimension (default: ${DEFAULT-VALUE}).")
    int dimension;

    @Option(names = "--points", defaultValue = "10", description = "Points per collection for the loaded figures (default: ${DEFAULT-VALUE}).")
    int points;

    @Override
    public Integer call() throws Exception {
        for (int count : counts) {
            Path dir = Files.createTempDirectory("vdb-collections");
            try {
                EngineCost.print(System.out, EngineCost.measure(count, dimension, points, dir));
            } finally {
                delete(dir);
            }
        }
        for (int count : layoutCounts) {
            for (LayoutCost.Layout layout : LayoutCost.Layout.values()) {
                Path dir = Files.createTempDirectory("vdb-layout");
                try {
                    LayoutCost.print(System.out, LayoutCost.measure(layout, count, dir));
                } finally {
                    delete(dir);
                }
            }
        }
        return 0;
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
