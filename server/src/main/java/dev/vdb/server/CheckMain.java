package dev.vdb.server;

import dev.vdb.engine.check.CheckReport;
import dev.vdb.engine.check.OfflineCheck;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vdb check --data DIR [--repair]}: verifies a stopped database offline
 * ({@link OfflineCheck}: RocksDB's checksums, the records' ordinals and ids, the derived files
 * against their records), prints what it checked and found, and exits 0 when nothing is wrong,
 * 1 otherwise. {@code --repair} rebuilds the derived files from RocksDB when only they are damaged,
 * then checks again.
 */
@Command(name = "vdb check", mixinStandardHelpOptions = true,
        description = "Verifies a stopped vdb database offline; exits 1 when it finds a problem.")
public final class CheckMain implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "./data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--repair", description = "Rebuild damaged derived files (HNSW graph, BM25 and payload-index "
            + "snapshots, id map, a quantized collection's vector file) from RocksDB; RocksDB itself is never changed by the check.")
    boolean repair;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CheckMain()).execute(args));
    }

    @Override
    public Integer call() {
        Path dir = data.toAbsolutePath().normalize();
        System.out.println("vdb check: " + dir);
        CheckReport report = OfflineCheck.run(dir);
        report.lines().forEach(System.out::println);
        if (repair && !report.clean()) {
            if (!report.repairable()) {
                System.out.println("repair: not attempted, RocksDB itself is damaged (vdb rebuilds only derived files)");
                return 1;
            }
            System.out.println("repair: rebuilding the derived files from RocksDB, then checking again");
            report = OfflineCheck.repair(dir);
            report.lines().forEach(System.out::println);
        }
        return report.clean() ? 0 : 1;
    }
}
