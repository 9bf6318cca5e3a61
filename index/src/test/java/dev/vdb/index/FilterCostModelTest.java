package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FilterCostModelTest {

    @Test
    void theBudgetIsTheScanCostInGraphDistances() {
        // d = 100: a graph distance costs 1 + 450 / 100 = 5.5 scan distances
        assertEquals(1_000, FilterCostModel.traversalBudget(5_500, 100));
        assertEquals(0, FilterCostModel.traversalBudget(0, 100));
        // cheaper graph distances (relative to a scan) at high dimension: a larger budget for as many matches
        assertTrue(FilterCostModel.traversalBudget(5_500, 1536) > FilterCostModel.traversalBudget(5_500, 100));
    }

    @Test
    void aTraversalIsTriedOnlyWhenTheBudgetCoversAnUnfilteredSearch() {
        long unfiltered = (long) (FilterCostModel.GRAPH_DISTANCES_PER_EF * 64);
        assertTrue(FilterCostModel.worthTraversing(unfiltered, 64));
        assertFalse(FilterCostModel.worthTraversing(unfiltered - 1, 64));
        assertTrue(FilterCostModel.worthTraversing(unfiltered, 32));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FilterCostModel.traversalBudget(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> FilterCostModel.traversalBudget(1, 0));
        assertThrows(IllegalArgumentException.class, () -> FilterCostModel.worthTraversing(10, 0));
    }
}
