package dev.vdb.cluster;

import dev.vdb.engine.Point;
import java.util.Arrays;
import java.util.Objects;

/** Comparisons of stored points for the cluster tests. */
final class ClusterAssertions {

    private ClusterAssertions() {}

    /** Same id, vector bits, payload and text. */
    static boolean samePoint(Point a, Point b) {
        return a.id().equals(b.id()) && Arrays.equals(a.vector(), b.vector()) && a.payload().equals(b.payload())
                && Objects.equals(a.text(), b.text());
    }
}
