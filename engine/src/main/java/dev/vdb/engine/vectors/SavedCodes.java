package dev.vdb.engine.vectors;

import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.recovery.DerivedFiles;
import dev.vdb.index.VectorSimilarity;
import dev.vdb.index.quant.BinaryQuantizer;
import dev.vdb.index.quant.Int8Quantizer;
import dev.vdb.index.quant.QuantizedVectors;
import dev.vdb.index.quant.Quantizer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * A quantized collection's codes saved beside its full-precision vector file, so that a load
 * takes them back instead of encoding every vector again (which reads the whole mapped file): the
 * quantizer, then the codes of ordinals {@code [0, count)}. A derived file, written by the
 * {@link DerivedFiles} commit protocol at a checkpoint or clean close when the codes changed; its
 * state (length, CRC32C) is recorded in RocksDB. A load trusts it only when that state, the
 * collection's quantization config and dimension, and the generation of the full-precision file
 * the codes were encoded from all match; then the codes below {@code count} are the ones that
 * file's vectors gave (an ordinal's vector never changes, and the quantizer is saved with them).
 *
 * <p>Layout (big-endian): {@link #MAGIC}, the kind (1 int8, 2 binary), the dimension, the vector
 * file's generation, {@code count}, how many vectors the quantizer was trained on; for int8 the
 * config's quantile and the range's two bounds, for binary the centroid's {@code dimension}
 * floats; then {@code count} records of {@link QuantizedVectors#recordBytes} bytes, the code and
 * its correction floats. Stateless and thread-safe.
 */
final class SavedCodes {

    /** "VDBCOD" and a format version. */
    static final long MAGIC = 0x5644_4243_4f44_0001L;
    private static final int INT8 = 1;
    private static final int BINARY = 2;
    /** Bytes before the quantizer's parameters: magic, kind, dimension, generation, count, trainedOn. */
    private static final int HEADER_BYTES = 8 + 4 + 4 + 8 + 4 + 4;
    /** Records per buffer while writing and reading. */
    private static final int BATCH = 4_096;

    private SavedCodes() {}

    /** Codes taken back by {@link #read}: those of the ordinals below {@code count}. */
    record Loaded(QuantizedVectors codes, int count, int trainedOn) {}

    /**
     * Writes the codes of ordinals below {@code count} (all set) and their quantizer to {@code file}
     * by the commit protocol; returns the state to record in RocksDB.
     */
    static DerivedFiles.FileState write(Path file, QuantizedVectors codes, QuantizationConfig config, int trainedOn,
                                        long vectorFileGeneration, int count) throws IOException {
        return DerivedFiles.commit(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeLong(MAGIC);
            out.writeInt(kindOf(config));
            out.writeInt(codes.dimension());
            out.writeLong(vectorFileGeneration);
            out.writeInt(count);
            out.writeInt(trainedOn);
            switch (codes.quantizer()) {
                case Int8Quantizer q -> {
                    out.writeFloat(((QuantizationConfig.Scalar) config).quantile());
                    out.writeFloat(q.lo());
                    out.writeFloat(q.hi());
                }
                case BinaryQuantizer q -> {
                    for (float c : q.centroid()) {
                        out.writeFloat(c);
                    }
                }
            }
            ByteBuffer buffer = ByteBuffer.allocate(BATCH * codes.recordBytes());
            for (int from = 0; from < count; from += BATCH) {
                buffer.clear();
                for (int ordinal = from, to = Math.min(count, from + BATCH); ordinal < to; ordinal++) {
                    codes.copyOut(ordinal, buffer);
                }
                out.write(buffer.array(), 0, buffer.position());
            }
            out.flush();
        }, 0);
    }

    /**
     * The codes {@code file} holds, when it is the one {@code state} recorded and was saved for
     * {@code config}, {@code dimension} and the full-precision file of {@code vectorFileGeneration}.
     *
     * @throws IOException naming why the file cannot be used
     */
    static Loaded read(Path file, DerivedFiles.FileState state, QuantizationConfig config, VectorSimilarity similarity,
                       int dimension, long vectorFileGeneration) throws IOException {
        DerivedFiles.verifyLength(file, state);
        CRC32C crc = new CRC32C(); // over the bytes as they are read: one pass, checked before the codes are used
        try (InputStream stream = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                crc)) {
            DataInputStream in = new DataInputStream(stream);
            if (in.readLong() != MAGIC) {
                throw new IOException("it is not a codes file of this format");
            }
            int kind = in.readInt();
            int savedDimension = in.readInt();
            long generation = in.readLong();
            int count = in.readInt();
            int trainedOn = in.readInt();
            if (kind != kindOf(config) || savedDimension != dimension) {
                throw new IOException("it holds codes of another quantization or dimension");
            }
            if (generation != vectorFileGeneration) {
                throw new IOException("it was encoded from another full-precision vector file");
            }
            if (count < 0 || trainedOn < 0) {
                throw new IOException("its header is damaged");
            }
            Quantizer quantizer;
            if (config instanceof QuantizationConfig.Scalar scalar) {
                float quantile = in.readFloat();
                float lo = in.readFloat();
                float hi = in.readFloat();
                if (quantile != scalar.quantile()) {
                    throw new IOException("its quantizer was trained for quantile " + quantile + ", not "
                            + scalar.quantile());
                }
                quantizer = new Int8Quantizer(dimension, lo, hi);
            } else {
                float[] centroid = new float[dimension];
                for (int i = 0; i < dimension; i++) {
                    centroid[i] = in.readFloat();
                }
                quantizer = new BinaryQuantizer(centroid, similarity);
            }
            QuantizedVectors codes = new QuantizedVectors(quantizer);
            long quantizerBytes = (kind == INT8 ? 3L : dimension) * Float.BYTES;
            if (HEADER_BYTES + quantizerBytes + (long) count * codes.recordBytes() != state.length()) {
                throw new IOException("its header is damaged: " + count + " codes do not fill its " + state.length()
                        + " bytes");
            }
            codes.reserve(count);
            ByteBuffer buffer = ByteBuffer.allocate(BATCH * codes.recordBytes());
            for (int from = 0; from < count; from += BATCH) {
                int to = Math.min(count, from + BATCH);
                buffer.clear().limit((to - from) * codes.recordBytes());
                in.readFully(buffer.array(), 0, buffer.limit());
                for (int ordinal = from; ordinal < to; ordinal++) {
                    codes.copyIn(ordinal, buffer);
                }
            }
            DerivedFiles.verifyCrc(crc.getValue(), state);
            return new Loaded(codes, count, trainedOn);
        } catch (IllegalArgumentException e) {
            throw new IOException("its quantizer is damaged (" + e.getMessage() + ")", e);
        }
    }

    private static int kindOf(QuantizationConfig config) {
        return config instanceof QuantizationConfig.Scalar ? INT8 : BINARY;
    }
}
