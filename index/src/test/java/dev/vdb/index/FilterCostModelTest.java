package dev.vdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FilterCostModelTest {

    @Test
    void scansFewMatchesAndTraversesForMany() {
        // 100k live points, d = 100, ef = 64: a graph traversal costs about 5.5 × 12 × 64 / fraction
        // scan distances, so it pays once the matches outnumber that
        int live = 100_000;
        assertEquals(FilterCostModel.Plan.EXACT, FilterCostModel.plan(1_000, live, 64, 100));
        assertEquals(FilterCostModel.Plan.GRAPH, FilterCostModel.plan(50_000, live, 64, 100));
        assertEquals(FilterCostModel.Plan.EXACT, FilterCostModel.plan(0, live, 64, 100));
    }

    @Test
    void theCrossoverMovesWithTheCostOfAGraphDistance() {
        int live = 100_000;
        int crossover100 = crossover(live, 64, 100);
        int crossover1536 = crossover(live, 64, 1536);
        // cheaper graph distances (relative to a scan) at high dimension: the graph pays sooner
        assertEquals(true, crossover1536 < crossover100, crossover1536 + " < " + crossover100);
        // at the crossover m ≈ cost × 12 × ef × live / m, so m ≈ sqrt(cost × 12 × ef × live)
        double expected = Math.sqrt(FilterCostModel.graphDistanceCost(100) * 12 * 64 * live);
        assertEquals(expected, crossover100, expected * 0.01);
    }

    private static int crossover(int live, int ef, int dimension) {
        for (int m = 1; m <= live; m++) {
            if (FilterCostModel.plan(m, live, ef, dimension) == FilterCostModel.Plan.GRAPH) {
                return m;
            }
        }
        return live + 1;
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FilterCostModel.plan(-1, 10, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> FilterCostModel.plan(1, 10, 0, 10));
    }
}
