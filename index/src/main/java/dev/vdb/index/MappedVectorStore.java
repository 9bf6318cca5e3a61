package dev.vdb.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.agrona.IoUtil;

/**
 * Full-precision vectors off the Java heap, in a memory-mapped file: a header, then vector
 * {@code i} at {@code HEADER_BYTES + i · dimension · 4}, little-endian float32 (layout in
 * {@code docs/FORMAT.md}). The file is mapped in chunks of a power of two of vectors (at most
 * {@value #MAX_CHUNK_BYTES} bytes each, whatever the collection's size), grown one chunk at a
 * time. The operating system's page cache holds what searches touch; the heap holds a chunk
 * table.
 *
 * <p>A derived file: created empty ({@link #create} truncates) and filled from RocksDB on every
 * load, never trusted across opens, so it needs no checksum or fsync; {@link #close} unmaps and
 * deletes it. Built on {@link MappedByteBuffer} (the project compiles for Java 21, where
 * {@code java.lang.foreign} is a preview) and unmapped with Agrona's {@link IoUtil#unmap}.
 *
 * <p>Thread safety: as {@link FullPrecisionVectors}; growth takes a lock and publishes a new
 * chunk table through a volatile field. Reads and writes of one vector use absolute bulk
 * operations, allocation-free. {@link #close} must not overlap other calls.
 */
public final class MappedVectorStore implements FullPrecisionVectors, GraphVectors, AutoCloseable {

    /** "VDBVEC" and a format version. */
    static final long MAGIC = 0x5644_4256_4543_0001L;
    static final int HEADER_BYTES = 64;
    static final int MAX_CHUNK_BYTES = 1 << 22;

    private final Path file;
    private final FileChannel channel;
    private final int dimension;
    private final int chunkVectors;
    private final int chunkShift;
    private final int chunkMask;
    private final Object growLock = new Object();
    private volatile MappedByteBuffer[] mapped = new MappedByteBuffer[0];
    private volatile FloatBuffer[] chunks = new FloatBuffer[0];
    private volatile int size;

    private MappedVectorStore(Path file, FileChannel channel, int dimension) {
        this.file = file;
        this.channel = channel;
        this.dimension = dimension;
        long vectorBytes = (long) dimension * Float.BYTES;
        this.chunkVectors = Integer.highestOneBit((int) Math.max(1, MAX_CHUNK_BYTES / vectorBytes));
        this.chunkShift = Integer.numberOfTrailingZeros(chunkVectors);
        this.chunkMask = chunkVectors - 1;
    }

    /** An empty store in {@code file}, replacing what the file held. */
    public static MappedVectorStore create(Path file, int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            MappedByteBuffer header = channel.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_BYTES);
            header.order(ByteOrder.LITTLE_ENDIAN).putLong(0, MAGIC).putInt(8, dimension);
            IoUtil.unmap(header);
            return new MappedVectorStore(file, channel, dimension);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the vector file " + file, e);
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int size() {
        return size;
    }

    public Path file() {
        return file;
    }

    @Override
    public void reserve(int vectors) {
        int needed = (int) (((long) vectors + chunkMask) >>> chunkShift);
        if (needed <= chunks.length) {
            return;
        }
        synchronized (growLock) {
            MappedByteBuffer[] maps = mapped;
            if (needed <= maps.length) {
                return;
            }
            MappedByteBuffer[] grownMaps = Arrays.copyOf(maps, needed);
            FloatBuffer[] grown = Arrays.copyOf(chunks, needed);
            long chunkBytes = (long) chunkVectors * dimension * Float.BYTES;
            try {
                for (int c = maps.length; c < needed; c++) {
                    grownMaps[c] = channel.map(FileChannel.MapMode.READ_WRITE, HEADER_BYTES + c * chunkBytes, chunkBytes);
                    grown[c] = grownMaps[c].order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot grow the vector file " + file + " to " + vectors + " vectors", e);
            }
            mapped = grownMaps;
            chunks = grown;
        }
    }

    @Override
    public void set(int ordinal, float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector length must be " + dimension + ", got " + vector.length);
        }
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must be non-negative, got " + ordinal);
        }
        reserve(ordinal + 1);
        chunks[ordinal >>> chunkShift].put((ordinal & chunkMask) * dimension, vector, 0, dimension);
        if (ordinal >= size) {
            synchronized (growLock) {
                if (ordinal >= size) {
                    size = ordinal + 1;
                }
            }
        }
    }

    @Override
    public void read(int ordinal, float[] dst) {
        chunks[ordinal >>> chunkShift].get((ordinal & chunkMask) * dimension, dst, 0, dimension);
    }

    /** A scorer that copies each vector out of the mapping (searches that ignore a collection's codes). */
    @Override
    public NodeScorer newScorer(VectorSimilarity similarity) {
        return new MappedNodeScorer(this, similarity);
    }

    @Override
    public long heapBytes() {
        return 0;
    }

    @Override
    public long mappedBytes() {
        return (long) mapped.length * chunkVectors * dimension * Float.BYTES;
    }

    /** Unmaps the chunks and deletes the file. */
    @Override
    public void close() {
        synchronized (growLock) {
            for (MappedByteBuffer buffer : mapped) {
                IoUtil.unmap(buffer);
            }
            mapped = new MappedByteBuffer[0];
            chunks = new FloatBuffer[0];
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the vector file " + file, e);
            }
        }
    }
}
