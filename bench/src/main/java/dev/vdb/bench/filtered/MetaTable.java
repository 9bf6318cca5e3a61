package dev.vdb.bench.filtered;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Columns of a {@code *_meta.tsv} file (header line, then {@code id} and one value per column,
 * tab-separated), as strings indexed by row id. Immutable after reading.
 */
public final class MetaTable {

    private final Path file;
    private final Map<String, String[]> columns;

    private MetaTable(Path file, Map<String, String[]> columns) {
        this.file = file;
        this.columns = columns;
    }

    /** A table built in memory (generated data). */
    public static MetaTable of(String name, Map<String, String[]> columns) {
        return new MetaTable(Path.of(name), Map.copyOf(columns));
    }

    /**
     * Reads the columns {@code wanted} of the rows with id below {@code rows}.
     *
     * @throws IllegalArgumentException naming the file and column when a wanted column is
     *     missing or a row lacks its value
     */
    public static MetaTable read(Path file, int rows, Set<String> wanted) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("filters need " + file + " (id and payload columns, tab-separated)");
        }
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String headerLine = in.readLine();
            List<String> header = headerLine == null ? List.of() : List.of(headerLine.split("\t", -1));
            Map<String, String[]> columns = new HashMap<>();
            Map<String, Integer> positions = new HashMap<>();
            for (String name : wanted) {
                int at = header.indexOf(name);
                if (at <= 0) {
                    throw new IllegalArgumentException("--filter field '" + name + "' is not a column of " + file
                            + " (columns: " + header.subList(Math.min(1, header.size()), header.size()) + ")");
                }
                positions.put(name, at);
                columns.put(name, new String[rows]);
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                int id = Integer.parseInt(cells[0]);
                if (id < 0 || id >= rows) {
                    continue;
                }
                for (Map.Entry<String, Integer> e : positions.entrySet()) {
                    columns.get(e.getKey())[id] = cells[e.getValue()];
                }
            }
            for (Map.Entry<String, String[]> e : columns.entrySet()) {
                int missing = Arrays.asList(e.getValue()).indexOf(null);
                if (missing >= 0) {
                    throw new IllegalArgumentException(file + " has no '" + e.getKey() + "' value for row " + missing);
                }
            }
            return new MetaTable(file, columns);
        }
    }

    /** This table with {@code extra} columns added (replacing any of the same name). */
    public MetaTable with(Map<String, String[]> extra) {
        Map<String, String[]> all = new HashMap<>(columns);
        all.putAll(extra);
        return new MetaTable(file, Map.copyOf(all));
    }

    /** The values of {@code field}, by row id. */
    public String[] column(String field) {
        String[] values = columns.get(field);
        if (values == null) {
            throw new IllegalArgumentException("--filter field '" + field + "' is not a column of " + file);
        }
        return values;
    }

    /** Whether every value of {@code field} is an integer that fits in an int. */
    public boolean isInteger(String field) {
        for (String v : column(field)) {
            try {
                Integer.parseInt(v);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    public Set<String> fields() {
        return columns.keySet();
    }
}
