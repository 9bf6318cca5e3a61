package dev.vdb.engine.check;

import dev.vdb.engine.DbOptions;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.collection.RocksCollection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a database, as Lucene's {@code CheckIndex} does an index: for every collection, that
 * what is in memory and in the derived files (the id map, the HNSW graph) agrees with RocksDB,
 * the source of truth.
 *
 * <pre>{@code
 * DatabaseCheck.Report report = DatabaseCheck.run(Path.of("data"));
 * if (!report.clean()) { report.collections().forEach(System.out::println); }
 * }</pre>
 *
 * <p>Stateless and thread-safe. A check of an open database blocks its writes while it scans.
 */
public final class DatabaseCheck {

    private DatabaseCheck() {}

    /** What the check found in one collection. */
    public record CollectionReport(String name, long points, List<String> problems) {
        public CollectionReport {
            problems = List.copyOf(problems);
        }
    }

    /** What the check found: one report per collection, by name. */
    public record Report(List<CollectionReport> collections) {
        public Report {
            collections = List.copyOf(collections);
        }

        /** Whether no collection has a problem. */
        public boolean clean() {
            return collections.stream().allMatch(c -> c.problems().isEmpty());
        }
    }

    /** Opens the (stopped) database in {@code directory}, checks it and closes it. */
    public static Report run(Path directory) {
        try (VectorDb db = VectorDb.open(directory, DbOptions.DEFAULT)) {
            return check(db);
        }
    }

    /** Checks an open database. */
    public static Report check(VectorDb db) {
        List<CollectionReport> reports = new ArrayList<>();
        for (String name : db.collectionNames()) {
            RocksCollection c = (RocksCollection) db.collection(name);
            reports.add(new CollectionReport(name, c.count(), c.verify()));
        }
        return new Report(reports);
    }
}
