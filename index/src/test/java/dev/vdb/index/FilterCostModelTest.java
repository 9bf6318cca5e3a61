package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FilterCostModelTest {

    @Test
    void aTraversalIsTriedOnlyWhenAnUnfilteredSearchCostsLessThanTheScan() {
        // d = 100: a graph distance costs 1 + 450 / 100 = 5.5 scan distances; at ef 64 an
        // unfiltered search makes about 12 × 64 of them
        int crossover = (int) Math.ceil(12 * 64 * 5.5);
        assertTrue(FilterCostModel.worthTraversing(crossover, 64, 100));
        assertFalse(FilterCostModel.worthTraversing(crossover - 1, 64, 100));
        assertTrue(FilterCostModel.worthTraversing(crossover, 32, 100));
        // cheaper graph distances (relative to a scan) at high dimension: the traversal pays sooner
        assertTrue(FilterCostModel.worthTraversing(crossover / 2, 64, 1536));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FilterCostModel.worthTraversing(-1, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> FilterCostModel.worthTraversing(1, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> FilterCostModel.worthTraversing(1, 10, 0));
    }
}
