package dev.vdb.engine.check;

import dev.vdb.engine.db.StoredCollection;
import dev.vdb.engine.recovery.VectorFileState;
import dev.vdb.engine.storage.KeySpace;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.index.MappedVectorStore;
import dev.vdb.index.VectorSimilarity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.rocksdb.RocksDB;

/**
 * A quantized collection's memory-mapped full-precision vector file checked against RocksDB,
 * reading only: when RocksDB recorded a state for it ({@link VectorFileState}), the file must be
 * that generation, of the collection's dimension and long enough, and every stored point whose
 * ordinal lies below the recorded count must find its prepared vector there, bit for bit. An open
 * checks only the header and the length (reading every vector would slow each open), so a vector
 * damaged in place is found here; {@link OfflineCheck#repair} then deletes the file, and the next
 * open rebuilds it from RocksDB.
 *
 * <p>{@link #open} checks the header; {@link CollectionRecordsCheck}'s scan hands it each vector
 * record it decodes ({@link #compare}), so the records are read once; {@link #finish} reports.
 * Not thread-safe; reads the file one vector at a time.
 */
final class VectorFileCheck implements CollectionRecordsCheck.VectorRecords, AutoCloseable {

    /** Vectors named one by one before only their count is reported. */
    private static final int NAMED = 3;

    private final String where;
    private final String name;
    private final Path file;
    private final CheckReport report;
    private final VectorFileState state;
    private final VectorSimilarity similarity;
    private final FileChannel channel;
    private final float[] held;
    private final ByteBuffer scratch;
    private long differing;
    private IOException failure;

    private VectorFileCheck(String where, Path file, CheckReport report, VectorFileState state, VectorSimilarity similarity,
                            FileChannel channel) {
        this.where = where;
        this.name = "vector file " + file.getParent().getFileName() + "/" + file.getFileName();
        this.file = file;
        this.report = report;
        this.state = state;
        this.similarity = similarity;
        this.channel = channel;
        this.held = state == null ? null : new float[state.dimension()];
        this.scratch = state == null ? null : ByteBuffer.allocate(state.dimension() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The check of the vector file of {@code entry} (records in {@code space}) at {@code file}:
     * its header and length checked now (a problem reported), its vectors as the scan hands them.
     */
    static VectorFileCheck open(RocksDB db, KeySpace space, StoredCollection entry, Path file, String where,
                                CheckReport report) {
        VectorFileState state = VectorFileState.decode(OfflineCheck.get(db, space, PointCodec.VECTOR_FILE_STATE_KEY));
        VectorSimilarity similarity = entry.config().distance().similarity();
        if (state == null) {
            return new VectorFileCheck(where, file, report, null, similarity, null);
        }
        FileChannel channel = null;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException("it is missing");
            }
            channel = FileChannel.open(file, StandardOpenOption.READ);
            MappedVectorStore.verifyRecorded(channel, entry.config().dimension(), state.generation(), state.vectors());
            return new VectorFileCheck(where, file, report, state, similarity, channel);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            VectorFileCheck failed = new VectorFileCheck(where, file, report, state, similarity, null);
            failed.failure = e;
            return failed;
        }
    }

    /** Compares a stored vector with the file's when its ordinal lies below the recorded count. */
    @Override
    public void vector(String id, int ordinal, float[] stored) {
        if (channel == null || failure != null || ordinal < 0 || ordinal >= state.vectors() || stored.length != held.length) {
            return; // nothing to compare against, or past the count: the open reads it from RocksDB
        }
        try {
            MappedVectorStore.readVector(channel, ordinal, held, scratch);
        } catch (IOException e) {
            failure = e;
            return;
        }
        if (!Arrays.equals(held, similarity.prepare(stored)) && differing++ < NAMED) {
            report.problem(where, name + ": the vector of point " + id + " (ordinal " + ordinal + ") differs from RocksDB's",
                    true);
        }
    }

    /**
     * Reports what the scan found; returns the name to list among the sound derived files, or
     * null when a problem was reported (the file is then marked for {@code --repair} to delete).
     */
    String finish() {
        if (state == null) {
            return "vector file (none recorded: rebuilt on open)";
        }
        if (failure == null && differing == 0) {
            return "vector file (" + state.vectors() + " vectors)";
        }
        report.problem(where, name + ": " + (failure != null ? failure.getMessage()
                : differing + " vectors differ from RocksDB's"), true);
        report.discard(file); // an open trusts what its header and length promise: repair must rebuild it
        return null;
    }

    /** Closes the file; a read-only channel loses nothing if its close fails, so that is ignored. */
    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read only: nothing written, nothing lost
            }
        }
    }
}
