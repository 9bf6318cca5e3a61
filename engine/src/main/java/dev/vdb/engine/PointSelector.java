package dev.vdb.engine;

import dev.vdb.engine.filter.Filter;
import java.util.List;
import java.util.Objects;

/**
 * Which points an update applies to: listed ids (missing ones are skipped) or every point a
 * filter matches. Immutable.
 *
 * <pre>{@code
 * collection.setPayload(PointSelector.ids(PointId.of(1), PointId.of(2)), Map.of("reviewed", true));
 * collection.clearPayload(PointSelector.filter(Filter.match("city", "Paris")));
 * }</pre>
 */
public sealed interface PointSelector {

    static PointSelector ids(PointId... ids) {
        return new Ids(List.of(ids));
    }

    static PointSelector ids(List<PointId> ids) {
        return new Ids(ids);
    }

    static PointSelector filter(Filter filter) {
        return new ByFilter(filter);
    }

    /** The listed points that exist. */
    record Ids(List<PointId> ids) implements PointSelector {
        public Ids {
            ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
        }
    }

    /** Every point the filter matches. */
    record ByFilter(Filter filter) implements PointSelector {
        public ByFilter {
            Objects.requireNonNull(filter, "filter");
        }
    }
}
