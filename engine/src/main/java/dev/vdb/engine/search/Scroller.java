package dev.vdb.engine.search;

import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.payload.field.FieldIndex;
import dev.vdb.engine.payload.field.NumericIndex;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.index.OrdinalSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pages through a collection as Qdrant's scroll does: in id order (RocksDB's key order: numbers
 * ascending, then strings by their UTF-8 bytes), from an offset id, or by the values of an
 * indexed numeric payload field (each point then with the value it was ordered by). A filter is
 * resolved once, at one published state; points written while the page is read may or may not be
 * on it.
 *
 * <p>Thread-safe; allocates the page.
 */
public final class Scroller {

    private final CollectionState state;
    private final PointStore store;

    public Scroller(CollectionState state, PointStore store) {
        this.state = state;
        this.store = store;
    }

    public ScrollPage scroll(ScrollRequest request) {
        List<PointId> ids = new ArrayList<>(request.limit() + 1);
        List<Object> values = request.orderBy() == null ? null : new ArrayList<>(request.limit());
        if (request.orderBy() != null) {
            state.read(() -> {
                orderedIds(request, ids, values);
                return null;
            });
        } else {
            OrdinalSet matches = request.filter() == null ? null
                    : state.read(() -> state.resolver(store::payloads).resolve(request.filter()));
            store.scanIds(request.offset() == null ? null : PointCodec.idBytes(request.offset()), (id, ordinal) -> {
                if (matches == null || matches.get(ordinal)) {
                    ids.add(id);
                }
                return ids.size() <= request.limit();
            });
        }
        PointId next = null;
        if (request.orderBy() == null && ids.size() > request.limit()) {
            next = ids.remove(request.limit());
        }
        List<Point> points = new ArrayList<>(ids.size());
        List<Object> pointValues = values == null ? null : new ArrayList<>(ids.size());
        int asked = 0;
        for (Point p : store.read(ids)) { // in the order asked, a point deleted meanwhile left out
            while (!ids.get(asked).equals(p.id())) {
                asked++;
            }
            if (pointValues != null) {
                pointValues.add(values.get(asked));
            }
            asked++;
            points.add(projected(p, request));
        }
        return new ScrollPage(points, next, pointValues);
    }

    /**
     * Up to {@code request.limit()} points drawn at random, without repeats, among those the
     * filter matches (all live points when none), as Qdrant's random sample; every matching point
     * is as likely. No offset or order_by.
     */
    public List<Point> sample(ScrollRequest request) {
        if (request.offset() != null || request.orderBy() != null) {
            throw new IllegalArgumentException("a random sample takes no offset or order_by");
        }
        List<PointId> ids = state.read(() -> {
            int[] matching = request.filter() == null ? state.live().toArray()
                    : state.resolver(store::payloads).resolve(request.filter()).toArray();
            int n = Math.min(request.limit(), matching.length);
            SplittableRandom random = new SplittableRandom();
            List<PointId> drawn = new ArrayList<>(n);
            for (int i = 0; i < n; i++) { // the first n places of a Fisher-Yates shuffle
                int j = i + random.nextInt(matching.length - i);
                int chosen = matching[j];
                matching[j] = matching[i];
                matching[i] = chosen;
                drawn.add(state.live().idOf(chosen));
            }
            return drawn;
        });
        List<Point> points = new ArrayList<>(ids.size());
        for (Point p : store.read(ids)) {
            points.add(projected(p, request));
        }
        return points;
    }

    /** The point with what the request asks of it: its vector, its payload and text, or neither. */
    private static Point projected(Point p, ScrollRequest request) {
        return new Point(p.id(), request.withVector() ? p.vector() : null,
                request.withPayload() ? p.payload() : null, request.withPayload() ? p.text() : null);
    }

    /** The first ids by the order-by field's values, and those values; under the state read lock. */
    private void orderedIds(ScrollRequest request, List<PointId> out, List<Object> values) {
        ScrollRequest.OrderBy orderBy = request.orderBy();
        FieldIndex index = state.payloadIndexes().forKey(orderBy.key());
        if (!(index instanceof NumericIndex numeric)) {
            throw new IllegalArgumentException("order_by.key '" + orderBy.key()
                    + "' needs an integer, float or datetime payload index on that field");
        }
        OrdinalSet matches = request.filter() == null ? null : state.resolver(store::payloads).resolve(request.filter());
        boolean floats = numeric.schema() == PayloadSchema.FLOAT;
        numeric.forEachInOrder(orderBy.descending(), orderBy.startFrom(), (value, ordinal) -> {
            if (state.live().get(ordinal) && (matches == null || matches.get(ordinal))) {
                out.add(state.live().idOf(ordinal));
                values.add(!floats && value == Math.rint(value) && Math.abs(value) < 0x1p63 ? (Object) (long) value : value);
            }
            return out.size() < request.limit();
        });
    }
}
