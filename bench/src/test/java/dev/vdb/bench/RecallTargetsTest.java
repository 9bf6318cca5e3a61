package dev.vdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecallTargetsTest {

    private static SweepPoint point(int ef, double recall, double qps, double distances) {
        return new SweepPoint(ef, recall, qps, 0, 0, 0, 0, distances);
    }

    private final List<SweepPoint> curve = List.of(
            point(10, 0.80, 8000, 100), point(20, 0.90, 4000, 200), point(40, 0.98, 1000, 400));

    @Test
    void interpolatesLogQpsLinearlyInRecallBetweenTheStraddlingPoints() {
        RecallTargets.QpsAt at = RecallTargets.qpsAt(curve, 0.94);
        // halfway between 0.90 and 0.98: the geometric mean of 4000 and 1000
        assertEquals(2000, at.qps(), 1e-6);
        assertFalse(at.lowerBound());
        assertEquals(300, RecallTargets.distancesAt(curve, 0.94), 1e-9);
    }

    @Test
    void anExactHitUsesThatPoint() {
        assertEquals(4000, RecallTargets.qpsAt(curve, 0.90).qps(), 1e-6);
    }

    @Test
    void aTargetReachedAtTheFirstPointIsALowerBound() {
        RecallTargets.QpsAt at = RecallTargets.qpsAt(curve, 0.5);
        assertEquals(8000, at.qps(), 1e-9);
        assertTrue(at.lowerBound());
    }

    @Test
    void anUnreachedTargetHasNoValue() {
        assertNull(RecallTargets.qpsAt(curve, 0.99));
        assertTrue(Double.isNaN(RecallTargets.distancesAt(curve, 0.99)));
    }
}
