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
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A quantized collection's memory-mapped full-precision vector file checked against RocksDB,
 * reading only: when RocksDB recorded a state for it ({@link VectorFileState}), the file must be
 * that generation, of the collection's dimension and long enough, and every stored point whose
 * ordinal lies below the recorded count must find its prepared vector there, bit for bit. An open
 * checks only the header and the length (reading every vector would slow each open), so a vector
 * damaged in place is found here; {@link OfflineCheck#repair} then deletes the file, and the next
 * open rebuilds it from RocksDB. Not thread-safe; reads the file once, one vector at a time.
 */
final class VectorFileCheck {

    private VectorFileCheck() {}

    /**
     * Checks the vector file of {@code entry} (records in {@code space}) at {@code file}; returns
     * the name to list among the sound derived files, or null when a problem was reported.
     */
    static String run(RocksDB db, KeySpace space, StoredCollection entry, Path file, String where, CheckReport report) {
        VectorFileState state = VectorFileState.decode(OfflineCheck.get(db, space, PointCodec.VECTOR_FILE_STATE_KEY));
        if (state == null) {
            return "vector file (none recorded: rebuilt on open)";
        }
        int dimension = entry.config().dimension();
        String name = "vector file " + file.getParent().getFileName() + "/" + file.getFileName();
        if (!Files.isRegularFile(file)) {
            report.problem(where, name + ": it is missing", true);
            return null;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedVectorStore.verifyRecorded(channel, dimension, state.generation(), state.vectors());
            long differing = compare(db, space, entry.config().distance().similarity(), channel, state.vectors(), dimension,
                    where, name, report);
            if (differing == 0) {
                return "vector file (" + state.vectors() + " vectors)";
            }
            report.problem(where, name + ": " + differing + " vectors differ from RocksDB's", true);
        } catch (IOException e) {
            report.problem(where, name + ": " + e.getMessage(), true);
        }
        report.discard(file); // an open trusts what its header and length promise: repair must rebuild it
        return null;
    }

    /** Compares every stored vector below {@code count} with the file's; returns how many differ (the first few reported). */
    private static long compare(RocksDB db, KeySpace space, VectorSimilarity similarity, FileChannel channel, int count,
                                int dimension, String where, String name, CheckReport report) throws IOException {
        float[] held = new float[dimension];
        ByteBuffer scratch = ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long differing = 0;
        try (ReadOptions options = new ReadOptions().setFillCache(false);
             RocksIterator it = db.newIterator(space.columnFamily(), options)) {
            for (it.seek(space.key(new byte[] {PointCodec.VECTOR})); it.isValid() && space.contains(it.key()); it.next()) {
                byte[] key = space.local(it.key());
                if (key[0] != PointCodec.VECTOR) {
                    break;
                }
                int ordinal;
                float[] stored;
                try {
                    ordinal = PointCodec.ordinalOfVectorRecord(it.value());
                    stored = PointCodec.vectorOfRecord(it.value());
                } catch (IllegalStateException e) {
                    continue; // a malformed record: CollectionRecordsCheck reports it
                }
                if (ordinal < 0 || ordinal >= count || stored.length != dimension) {
                    continue; // past the recorded count: the open reads it from RocksDB
                }
                MappedVectorStore.readVector(channel, ordinal, held, scratch);
                if (!Arrays.equals(held, similarity.prepare(stored)) && differing++ < 3) {
                    report.problem(where, name + ": the vector of point " + PointCodec.id(key, 1) + " (ordinal " + ordinal
                            + ") differs from RocksDB's", true);
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new IOException("reading its vector records failed: " + e.getMessage(), e);
        }
        return differing;
    }
}
