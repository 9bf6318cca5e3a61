package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapped full-precision store reads back what was set, across chunks, and its file goes with it on close. */
class MappedVectorStoreTest {

    @TempDir
    Path dir;

    @Test
    void vectorsAcrossChunksReadBackExactlyAndCloseDeletesTheFile() {
        int dim = 20_000; // 80 KB vectors: a 4 MiB chunk holds 32, so 100 vectors span 4 chunks
        Path file = dir.resolve("v.f32");
        SplittableRandom random = new SplittableRandom(3);
        float[][] set = new float[100][];
        try (MappedVectorStore store = MappedVectorStore.create(file, dim)) {
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
        }
        assertFalse(Files.exists(file));
    }
}
