package dev.vdb.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.IoUtil;

/**
 * Full-precision vectors off the Java heap, in a memory-mapped file: a header (magic and format
 * version, dimension, a random generation), then vector {@code i} at
 * {@code HEADER_BYTES + i · dimension · 4}, little-endian float32 (layout in
 * {@code docs/FORMAT.md}). The file is mapped in chunks of a power of two of vectors (at most
 * {@value #MAX_CHUNK_BYTES} bytes each, whatever the collection's size), grown one chunk at a
 * time. The operating system's page cache holds what searches touch; the heap holds a chunk
 * table.
 *
 * <p>A derived file. {@link #create} truncates it and draws a new {@link #generation}; {@link #sync}
 * makes everything written so far durable, after which the owner may record (generation, count) in
 * its source of truth; {@link #reopen} maps such a file again, trusting its first {@code count}
 * vectors only when the header names the recorded generation and the file is long enough, and
 * cuts off whatever lies past them. Keeping that record sound (no vector below the count is ever
 * written again) is the owner's part. {@link #close} unmaps and keeps the file,
 * {@link #closeAndDelete} deletes it. Built on {@link MappedByteBuffer} (the project compiles for
 * Java 21, where {@code java.lang.foreign} is a preview) and unmapped with Agrona's
 * {@link IoUtil#unmap}.
 *
 * <p>Thread safety: as {@link FullPrecisionVectors}; growth takes a lock and publishes a new
 * chunk table through a volatile field. Reads and writes of one vector use absolute bulk
 * operations, allocation-free. {@link #sync} may run alongside reads and writes (it holds no lock
 * they take); it and {@link #close} exclude each other. {@link #close} must not overlap other calls.
 */
public final class MappedVectorStore implements FullPrecisionVectors, GraphVectors, AutoCloseable {

    /** "VDBVEC" and a format version (1: no generation, never reopened). */
    static final long MAGIC = 0x5644_4256_4543_0002L;
    static final int DIMENSION_AT = 8;
    static final int GENERATION_AT = 16;
    static final int HEADER_BYTES = 64;
    static final int MAX_CHUNK_BYTES = 1 << 22;

    private final Path file;
    private final FileChannel channel;
    private final int dimension;
    private final int chunkVectors;
    private final int chunkShift;
    private final int chunkMask;
    private final long generation;
    private final Object growLock = new Object();
    /** Held by {@link #sync} and {@link #close}: a sync never forces an unmapped buffer. */
    private final Object syncLock = new Object();
    private boolean closed;
    private volatile MappedByteBuffer[] mapped = new MappedByteBuffer[0];
    private volatile FloatBuffer[] chunks = new FloatBuffer[0];
    private volatile int size;

    private MappedVectorStore(Path file, FileChannel channel, int dimension, long generation) {
        this.file = file;
        this.generation = generation;
        this.channel = channel;
        this.dimension = dimension;
        long vectorBytes = (long) dimension * Float.BYTES;
        this.chunkVectors = Integer.highestOneBit((int) Math.max(1, MAX_CHUNK_BYTES / vectorBytes));
        this.chunkShift = Integer.numberOfTrailingZeros(chunkVectors);
        this.chunkMask = chunkVectors - 1;
    }

    /** An empty store in {@code file}, replacing what the file held, with a new random generation. */
    public static MappedVectorStore create(Path file, int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dimension);
        }
        long generation;
        do {
            generation = ThreadLocalRandom.current().nextLong();
        } while (generation == 0);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            MappedByteBuffer header = channel.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_BYTES);
            header.order(ByteOrder.LITTLE_ENDIAN).putLong(0, MAGIC).putInt(DIMENSION_AT, dimension)
                    .putLong(GENERATION_AT, generation);
            IoUtil.unmap(header);
            return new MappedVectorStore(file, channel, dimension, generation);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the vector file " + file, e);
        }
    }

    /**
     * The store in an existing {@code file} that {@link #create} made with {@code generation} and
     * that held at least {@code vectors} vectors when {@link #sync} last returned: its size is
     * {@code vectors}, and the file is cut to them (what lay past them is not trusted). Nothing is
     * read but the header.
     *
     * @throws IOException naming why the file is not that one (missing, another format, dimension
     *     or generation, too short), with the file left as it was
     */
    public static MappedVectorStore reopen(Path file, int dimension, long generation, int vectors) throws IOException {
        if (dimension <= 0 || vectors < 0) {
            throw new IllegalArgumentException("dimension must be positive and vectors non-negative, got "
                    + dimension + " and " + vectors);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("it is missing");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            verifyRecorded(channel, dimension, generation, vectors);
            long needed = HEADER_BYTES + (long) vectors * dimension * Float.BYTES;
            channel.truncate(needed);
            MappedVectorStore store = new MappedVectorStore(file, channel, dimension, generation);
            store.reserve(vectors);
            store.size = vectors;
            return store;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Checks, reading only the header and the length, that {@code channel}'s file is the one
     * {@link #create} made for {@code dimension} with {@code generation} and that it holds at least
     * {@code vectors} vectors (what {@link #reopen} requires before it trusts them).
     *
     * @throws IOException naming the first difference
     */
    public static void verifyRecorded(FileChannel channel, int dimension, long generation, int vectors) throws IOException {
        long length = channel.size();
        if (length < HEADER_BYTES) {
            throw new IOException("it has " + length + " bytes, less than a header");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
            // read the whole header
        }
        if (header.getLong(0) != MAGIC) {
            throw new IOException(String.format("its header is not a format-2 vector file (magic %x)", header.getLong(0)));
        }
        if (header.getInt(DIMENSION_AT) != dimension) {
            throw new IOException("it holds vectors of dimension " + header.getInt(DIMENSION_AT) + ", not " + dimension);
        }
        if (header.getLong(GENERATION_AT) != generation) {
            throw new IOException(String.format("it is generation %x, %x was recorded", header.getLong(GENERATION_AT),
                    generation));
        }
        long needed = HEADER_BYTES + (long) vectors * dimension * Float.BYTES;
        if (length < needed) {
            throw new IOException("it has " + length + " bytes, " + vectors + " vectors need " + needed);
        }
    }

    /**
     * Reads vector {@code ordinal} of the file behind {@code channel} into {@code dst} (its length
     * is the dimension) with a positional read, without mapping: for a check of a stopped database.
     *
     * @param scratch a little-endian buffer of at least {@code dst.length} floats
     */
    public static void readVector(FileChannel channel, int ordinal, float[] dst, ByteBuffer scratch) throws IOException {
        long at = HEADER_BYTES + (long) ordinal * dst.length * Float.BYTES;
        scratch.clear().limit(dst.length * Float.BYTES);
        while (scratch.hasRemaining()) {
            if (channel.read(scratch, at + scratch.position()) < 0) {
                throw new IOException("it ends before vector " + ordinal);
            }
        }
        scratch.flip().asFloatBuffer().get(dst);
    }

    /** The random number {@link #create} wrote into the file's header: which file this is. */
    public long generation() {
        return generation;
    }

    /**
     * Forces every vector written so far, and the file's length, to the disk; false (nothing
     * done) once closed. Reads and writes go on meanwhile; only what was written before the call
     * is promised durable.
     */
    public boolean sync() {
        synchronized (syncLock) {
            if (closed) {
                return false;
            }
            for (MappedByteBuffer buffer : mapped) {
                buffer.force();
            }
            try {
                channel.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync the vector file " + file, e);
            }
            return true;
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

    /** Unmaps the chunks and closes the file, which stays (see {@link #reopen}). */
    @Override
    public void close() {
        synchronized (syncLock) {
            synchronized (growLock) {
                if (closed) {
                    return;
                }
                closed = true;
                for (MappedByteBuffer buffer : mapped) {
                    IoUtil.unmap(buffer);
                }
                mapped = new MappedByteBuffer[0];
                chunks = new FloatBuffer[0];
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot close the vector file " + file, e);
                }
            }
        }
    }

    /** {@link #close}, then deletes the file. */
    public void closeAndDelete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the vector file " + file, e);
        }
    }
}
