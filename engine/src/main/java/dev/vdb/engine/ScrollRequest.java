package dev.vdb.engine;

import dev.vdb.engine.filter.Filter;

/**
 * A page of points, in id order (numbers ascending, then strings in UTF-8 byte order) or by an
 * indexed numeric payload field, as Qdrant's scroll.
 *
 * <pre>{@code
 * ScrollPage page = collection.scroll(ScrollRequest.of(100));
 * while (page.nextOffset() != null) {
 *     page = collection.scroll(ScrollRequest.of(100).startingAt(page.nextOffset()));
 * }
 * }</pre>
 *
 * @param filter only matching points, or null for all
 * @param limit points per page, 1..{@value SearchRequest#MAX_LIMIT}
 * @param offset the first id of the page (inclusive), or null to start at the beginning; not
 *     allowed with {@code orderBy}
 * @param orderBy order by a payload field instead of by id, or null
 */
public record ScrollRequest(Filter filter, int limit, PointId offset, boolean withPayload, boolean withVector,
                            OrderBy orderBy) {

    /**
     * Order by the numeric values of an indexed ({@code integer} or {@code float}) payload
     * field; a point with several values appears once per value, points without one are left out.
     *
     * @param startFrom the first value (inclusive in the direction of travel), or null
     */
    public record OrderBy(String key, boolean descending, Double startFrom) {
        public OrderBy {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("order_by.key must be a non-empty string");
            }
            if (startFrom != null && !Double.isFinite(startFrom)) {
                throw new IllegalArgumentException("order_by.start_from must be a finite number, got " + startFrom);
            }
        }
    }

    public ScrollRequest {
        if (limit < 1 || limit > SearchRequest.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in 1.." + SearchRequest.MAX_LIMIT + ", got " + limit);
        }
        if (orderBy != null && offset != null) {
            throw new IllegalArgumentException("offset cannot be used with order_by (use order_by.start_from)");
        }
    }

    /** The first {@code limit} points by id, with payloads, without vectors. */
    public static ScrollRequest of(int limit) {
        return new ScrollRequest(null, limit, null, true, false, null);
    }

    /** The same request starting at {@code newOffset} (inclusive). */
    public ScrollRequest startingAt(PointId newOffset) {
        return new ScrollRequest(filter, limit, newOffset, withPayload, withVector, orderBy);
    }

    /** The same request over the points {@code newFilter} matches. */
    public ScrollRequest matching(Filter newFilter) {
        return new ScrollRequest(newFilter, limit, offset, withPayload, withVector, orderBy);
    }

    /** The same request, returning payloads and vectors or not. */
    public ScrollRequest including(boolean payload, boolean vector) {
        return new ScrollRequest(filter, limit, offset, payload, vector, orderBy);
    }

    /** The same request ordered by a field. */
    public ScrollRequest orderedBy(OrderBy newOrderBy) {
        return new ScrollRequest(filter, limit, offset, withPayload, withVector, newOrderBy);
    }
}
