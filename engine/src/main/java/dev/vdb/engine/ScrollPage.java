package dev.vdb.engine;

import java.util.List;

/**
 * One page of a {@link ScrollRequest}.
 *
 * @param points the page's points; payload or vector are empty when not requested
 * @param nextOffset the id to start the next page from, or null when this was the last page
 *     (always null when ordering by a field)
 */
public record ScrollPage(List<Point> points, PointId nextOffset) {
    public ScrollPage {
        points = List.copyOf(points);
    }
}
