package dev.vdb.engine;

import java.util.List;

/**
 * One page of a {@link ScrollRequest}.
 *
 * @param points the page's points; payload or vector are empty when not requested
 * @param nextOffset the id to start the next page from, or null when this was the last page
 *     (always null when ordering by a field)
 * @param orderValues when ordering by a field, each point's value it was ordered by (a {@link Long}
 *     for an integer or a date-time, in microseconds since the epoch, a {@link Double} otherwise;
 *     the last one is the {@code startFrom} of the next page, as in Qdrant); else null
 */
public record ScrollPage(List<Point> points, PointId nextOffset, List<Object> orderValues) {
    public ScrollPage {
        points = List.copyOf(points);
        orderValues = orderValues == null ? null : List.copyOf(orderValues);
    }

    /** A page in id order. */
    public ScrollPage(List<Point> points, PointId nextOffset) {
        this(points, nextOffset, null);
    }
}
