package dev.vdb.index.hnsw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link VisitedSet} against a {@link HashSet} over many searches of random sizes, marking with
 * {@link VisitedSet#visit} and {@link VisitedSet#visitFresh} mixed.
 */
class VisitedSetTest {

    @Test
    void answersAsAHashSetAcrossResetsGrowthAndFullClears() {
        Random random = new Random(7);
        VisitedSet visited = new VisitedSet();
        int capacity = 1_000;
        for (int search = 0; search < 2_000; search++) {
            visited.reset(capacity);
            Set<Integer> oracle = new HashSet<>();
            // few visits clear word by word; many (a scan) clear the whole array
            int visits = random.nextInt(4) == 0 ? 3 * capacity : random.nextInt(200);
            for (int v = 0; v < visits; v++) {
                // now and then an ordinal past the capacity: a node added during the search
                int ordinal = random.nextInt(50) == 0 ? capacity + random.nextInt(capacity) : random.nextInt(capacity);
                int probe = random.nextInt(2 * capacity);
                assertEquals(oracle.contains(probe), visited.contains(probe), "search " + search + ", probe " + probe);
                if (random.nextBoolean()) {
                    assertEquals(!oracle.add(ordinal), visited.visit(ordinal), "search " + search + ", ordinal " + ordinal);
                } else {
                    assertEquals(oracle.add(ordinal) ? 1 : 0, visited.visitFresh(ordinal),
                            "search " + search + ", fresh ordinal " + ordinal);
                }
            }
            if (search % 100 == 99) {
                capacity += 700;
            }
        }
    }
}
