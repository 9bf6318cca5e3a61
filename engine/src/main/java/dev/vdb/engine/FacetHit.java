package dev.vdb.engine;

import java.util.Comparator;

/**
 * One value of a facet ({@link VectorCollection#facet}) and how many points hold it.
 *
 * @param value a {@link String} (keyword), {@link Long} (integer) or {@link Boolean} (bool)
 * @param count the points among those counted that hold the value
 */
public record FacetHit(Object value, long count) {

    /** A facet's order: most frequent first, ties by value (one index's values are of one kind, each in natural order). */
    public static final Comparator<FacetHit> ORDER = Comparator.comparingLong(FacetHit::count).reversed()
            .thenComparing(FacetHit::value, FacetHit::compareValues);

    private static int compareValues(Object a, Object b) {
        return a instanceof Long x ? x.compareTo((Long) b)
                : a instanceof Boolean x ? x.compareTo((Boolean) b) : ((String) a).compareTo((String) b);
    }
}
