package dev.vdb.bench;

import dev.vdb.testkit.data.Vecs;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Brute-force ground truth kept between runs as {@code .ivecs} files (one row of base ids per
 * query, best first), so an expensive exact scan runs once per data set, filter and k. Written
 * to a temporary file and renamed, so a reader never sees half a file. Stateless.
 */
public final class TruthCache {

    private TruthCache() {}

    /**
     * The first {@code queries} rows of {@code file}, or null when it is missing or holds fewer
     * rows or fewer than {@code k} ids per row.
     */
    public static int[][] read(Path file, int queries, int k) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        int[][] rows = Vecs.readIvecs(file);
        return rows.length >= queries && rows.length > 0 && rows[0].length >= k ? Arrays.copyOf(rows, queries) : null;
    }

    /** Writes {@code rows} to {@code file} (its folder is created), replacing it atomically. */
    public static void write(Path file, int[][] rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
            for (int[] row : rows) {
                ByteBuffer buf = ByteBuffer.allocate(4 * (row.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
                buf.putInt(row.length);
                for (int v : row) {
                    buf.putInt(v);
                }
                out.write(buf.array());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
