package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapped full-precision store reads back what was set, across chunks; its file stays on close
 * and reopens only as the generation and count recorded, and goes with {@link MappedVectorStore#closeAndDelete}.
 */
class MappedVectorStoreTest {

    @TempDir
    Path dir;

    @Test
    void vectorsAcrossChunksReadBackExactlyAndCloseAndDeleteDeletesTheFile() {
        int dim = 20_000; // 80 KB vectors: a 4 MiB chunk holds 32, so 100 vectors span 4 chunks
        Path file = dir.resolve("v.f32");
        SplittableRandom random = new SplittableRandom(3);
        float[][] set = new float[100][];
        MappedVectorStore store = MappedVectorStore.create(file, dim);
        try {
            for (int i = 99; i >= 0; i--) { // highest first: growth and size by the first set
                set[i] = new float[dim];
                for (int d = 0; d < dim; d++) {
                    set[i][d] = (float) random.nextGaussian();
                }
                store.set(i, set[i]);
            }
            assertEquals(100, store.size());
            assertEquals(4L * 32 * dim * Float.BYTES, store.mappedBytes());
            float[] read = new float[dim];
            for (int i = 0; i < 100; i++) {
                store.read(i, read);
                assertArrayEquals(set[i], read, "vector " + i);
            }
            assertEquals(0, store.heapBytes());
            assertThrows(IllegalArgumentException.class, () -> store.set(0, new float[dim - 1]));
        } finally {
            store.closeAndDelete();
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void reopenTrustsTheRecordedGenerationAndCountAndCutsTheRest() throws IOException {
        int dim = 20_000;
        Path file = dir.resolve("v.f32");
        float[][] set = new float[70][];
        SplittableRandom random = new SplittableRandom(5);
        long generation;
        try (MappedVectorStore store = MappedVectorStore.create(file, dim)) {
            for (int i = 0; i < set.length; i++) {
                set[i] = new float[dim];
                for (int d = 0; d < dim; d++) {
                    set[i][d] = (float) random.nextGaussian();
                }
                store.set(i, set[i]);
            }
            assertTrue(store.sync());
            generation = store.generation();
        }
        assertTrue(Files.exists(file), "close keeps the file");
        assertThrows(IOException.class, () -> MappedVectorStore.reopen(file, dim, generation + 1, 40), "another generation");
        assertThrows(IOException.class, () -> MappedVectorStore.reopen(file, dim + 1, generation, 40), "another dimension");
        assertThrows(IOException.class, () -> MappedVectorStore.reopen(file, dim, generation, 1_000), "too short");
        try (MappedVectorStore store = MappedVectorStore.reopen(file, dim, generation, 40)) {
            assertEquals(40, store.size());
            float[] read = new float[dim];
            for (int i = 0; i < 40; i++) {
                store.read(i, read);
                assertArrayEquals(set[i], read, "vector " + i);
            }
            store.read(45, read);
            assertArrayEquals(new float[dim], read, "past the count: cut off, zero");
        }
        try (MappedVectorStore store = MappedVectorStore.create(file, dim)) {
            assertTrue(store.generation() != generation);
        }
        assertThrows(IOException.class, () -> MappedVectorStore.reopen(file, dim, generation, 0), "a new file");
        Files.delete(file);
        assertThrows(IOException.class, () -> MappedVectorStore.reopen(file, dim, generation, 0), "missing");
    }
}
