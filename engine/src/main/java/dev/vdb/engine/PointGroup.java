package dev.vdb.engine;

import java.util.List;

/**
 * One group of a grouped search ({@link VectorCollection#searchGroups}): the value the hits share
 * in the group-by field and the group's best hits, best first.
 *
 * @param id the shared value: a {@link String} for a keyword, a {@link Long} for an integer
 * @param hits at least one, at most the asked group size
 */
public record PointGroup(Object id, List<ScoredPoint> hits) {

    public PointGroup {
        hits = List.copyOf(hits);
    }
}
