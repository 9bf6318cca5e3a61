package dev.vdb.engine.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link OfflineCheck} found in a stopped database: lines saying what was checked and found
 * sound, and the problems, each either in the source of truth (RocksDB: checksums, records,
 * ordinals; not repairable by vdb) or in a derived file (rebuilt by {@code --repair}, or by the
 * next open). Mutable while the check runs, then only read.
 */
public final class CheckReport {

    /** A problem; {@code derived} when it lies in a file rebuilt from RocksDB. */
    public record Problem(String where, String what, boolean derived) {
        @Override
        public String toString() {
            return (derived ? "DERIVED " : "DAMAGE  ") + where + ": " + what;
        }
    }

    private static final int MAX_PROBLEMS_PER_PLACE = 20;

    private final List<String> checked = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<Path> discard = new ArrayList<>();

    void checked(String line) {
        checked.add(line);
    }

    void problem(String where, String what, boolean derived) {
        if (problems.stream().filter(p -> p.where().equals(where)).count() < MAX_PROBLEMS_PER_PLACE) {
            problems.add(new Problem(where, what, derived));
        }
    }

    /**
     * Marks a derived file whose damage an open would not notice (it trusts what the file's
     * header and length promise): {@code --repair} deletes it, so the open rebuilds it.
     */
    void discard(Path file) {
        discard.add(file);
    }

    /** The derived files {@code --repair} deletes before it opens the database. */
    List<Path> discarded() {
        return List.copyOf(discard);
    }

    /** What was checked and found sound, one line each. */
    public List<String> checked() {
        return List.copyOf(checked);
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** No problem at all. */
    public boolean clean() {
        return problems.isEmpty();
    }

    /** Every problem lies in a derived file (so {@code --repair} can fix them all). */
    public boolean repairable() {
        return problems.stream().allMatch(Problem::derived);
    }

    /** The report as printed by {@code ./vdb check}: the checked lines, the problems, a verdict. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        checked.forEach(c -> lines.add("ok      " + c));
        problems.forEach(p -> lines.add(p.toString()));
        long derived = problems.stream().filter(Problem::derived).count();
        if (clean()) {
            lines.add("result: no problems found");
        } else {
            lines.add("result: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " (" + derived
                    + " in derived files, which --repair rebuilds from RocksDB; " + (problems.size() - derived)
                    + " in RocksDB, which vdb does not repair: restore a snapshot)");
        }
        return lines;
    }
}
