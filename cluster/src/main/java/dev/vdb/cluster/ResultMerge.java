package dev.vdb.cluster;

import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.ScrollPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Merges the answers of a collection's shards into the answer one node holding every point would
 * give. Shards hold disjoint ids, so top-k by score and pages in id order merge exactly.
 * Stateless and thread-safe.
 */
final class ResultMerge {

    /** The engine's id order: numbers ascending, then strings in UTF-8 byte order. */
    static final Comparator<PointId> ID_ORDER = (a, b) -> {
        if (a instanceof PointId.Num x && b instanceof PointId.Num y) {
            return Long.compare(x.id(), y.id());
        }
        if (a instanceof PointId.Num) {
            return -1;
        }
        if (b instanceof PointId.Num) {
            return 1;
        }
        return Arrays.compareUnsigned(((PointId.Str) a).id().getBytes(StandardCharsets.UTF_8),
                ((PointId.Str) b).id().getBytes(StandardCharsets.UTF_8));
    };

    private ResultMerge() {}

    /**
     * The best {@code limit} hits after skipping {@code offset}, of shards that each returned their
     * best {@code offset + limit}; best first (highest score, or smallest for distances), ties by id.
     */
    static List<ScoredPoint> topK(List<List<ScoredPoint>> perShard, int offset, int limit, boolean smallerIsBetter) {
        List<ScoredPoint> all = new ArrayList<>();
        perShard.forEach(all::addAll);
        Comparator<ScoredPoint> byScore = Comparator.comparingDouble(ScoredPoint::score);
        all.sort((smallerIsBetter ? byScore : byScore.reversed()).thenComparing(ScoredPoint::id, ID_ORDER));
        return all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
    }

    /**
     * The first {@code limit} points in id order, of shards that each returned a page starting at
     * the same offset; the next offset is the first id not returned that some shard holds.
     */
    static ScrollPage scroll(List<ScrollPage> perShard, int limit) {
        List<Point> all = new ArrayList<>();
        PointId next = null;
        for (ScrollPage p : perShard) {
            all.addAll(p.points());
            if (p.nextOffset() != null && (next == null || ID_ORDER.compare(p.nextOffset(), next) < 0)) {
                next = p.nextOffset();
            }
        }
        all.sort(Comparator.comparing(Point::id, ID_ORDER));
        if (all.size() > limit) {
            PointId firstLeft = all.get(limit).id();
            if (next == null || ID_ORDER.compare(firstLeft, next) < 0) {
                next = firstLeft;
            }
            all = all.subList(0, limit);
        }
        return new ScrollPage(all, next);
    }
}
