package dev.vdb.engine.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.PointGroup;
import dev.vdb.engine.QueryTimeoutException;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.payload.PayloadMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Groups a search's hits by a payload field, as Qdrant's search groups: the best {@code groups}
 * groups of hits sharing a value of the field (a keyword or an integer; a point with several
 * values joins each of their groups, one with none joins none), each with its best
 * {@code groupSize} hits, groups ordered by their best hit.
 *
 * <p>The search runs with growing limits until its hits settle the answer: that holds once the
 * first {@code groups} groups met in the hits each have {@code groupSize} of them, or the search
 * returned fewer hits than asked (it found all it could). Any hit it did not return scores below
 * every hit it did, so it could neither join a full group nor open a group ahead of those. Over an
 * exact search the groups are therefore exact; over the graph they are as good as its hits.
 * Stateless.
 */
public final class PointGroups {

    /** Most hits one grouped search may need: {@code groups × groupSize} is bounded by it. */
    public static final int MAX_HITS = SearchRequest.MAX_LIMIT;
    /** Each retry asks for this many times the hits of the one before. */
    private static final int GROWTH = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PointGroups() {}

    /**
     * {@link dev.vdb.engine.VectorCollection#searchGroups}: {@code request}'s search with growing
     * limits, its timeout bounding them all, grouped; hits without payload unless the request
     * asks for it.
     */
    public static List<PointGroup> search(VectorCollection collection, SearchRequest request, String groupBy,
                                          int groupSize) {
        if (request.offset() != 0) {
            throw new IllegalArgumentException("offset does not apply to a grouped search, got " + request.offset());
        }
        Duration timeout = request.timeout();
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        List<PointGroup> groups = collect(limit -> {
            SearchRequest.Builder each = request.toBuilder().limit(limit).withPayload(true);
            if (timeout != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new QueryTimeoutException("search", timeout);
                }
                each.timeout(Duration.ofNanos(left));
            }
            return collection.search(each.build());
        }, groupBy, request.limit(), groupSize);
        return request.withPayload() ? groups : withoutPayloads(groups);
    }

    /** {@code groups} with each hit's payload left out (grouping needed it; the request did not ask for it). */
    public static List<PointGroup> withoutPayloads(List<PointGroup> groups) {
        List<PointGroup> bare = new ArrayList<>(groups.size());
        for (PointGroup g : groups) {
            List<ScoredPoint> hits = new ArrayList<>(g.hits().size());
            for (ScoredPoint h : g.hits()) {
                hits.add(new ScoredPoint(h.id(), h.score(), null, h.vector(), h.explanation()));
            }
            bare.add(new PointGroup(g.id(), hits));
        }
        return bare;
    }

    /**
     * The groups of the hits {@code search} returns for a limit (best first, each with its
     * payload).
     *
     * @throws IllegalArgumentException when {@code groups × groupSize} exceeds {@link #MAX_HITS}
     */
    public static List<PointGroup> collect(IntFunction<List<ScoredPoint>> search, String groupBy, int groups,
                                           int groupSize) {
        check(groupBy, groups, groupSize);
        int limit = Math.min(MAX_HITS, Math.max(2 * groups * groupSize, 16));
        while (true) {
            List<ScoredPoint> hits = search.apply(limit);
            Map<Object, List<ScoredPoint>> byValue = group(hits, groupBy, groups, groupSize);
            if (hits.size() < limit || limit == MAX_HITS || settled(byValue, groups, groupSize)) {
                List<PointGroup> out = new ArrayList<>();
                for (Map.Entry<Object, List<ScoredPoint>> e : byValue.entrySet()) {
                    if (out.size() == groups) {
                        break;
                    }
                    out.add(new PointGroup(e.getKey(), e.getValue()));
                }
                return out;
            }
            limit = (int) Math.min(MAX_HITS, (long) limit * GROWTH);
        }
    }

    /** Refuses a grouped search that is malformed or could need more than {@link #MAX_HITS} hits. */
    public static void check(String groupBy, int groups, int groupSize) {
        if (groupBy == null || groupBy.isEmpty()) {
            throw new IllegalArgumentException("group_by must name a payload field (keyword or integer), got "
                    + (groupBy == null ? "none" : "an empty name"));
        }
        if (groups < 1 || groupSize < 1 || (long) groups * groupSize > MAX_HITS) {
            throw new IllegalArgumentException("limit (groups) and group_size must be at least 1 and their product at "
                    + "most " + MAX_HITS + ", got limit " + groups + " and group_size " + groupSize);
        }
    }

    /**
     * The hits by group-by value, groups in the order of their best hit, at most
     * {@code groupSize} hits each; groups past the first {@code groups} are kept only to tell that
     * they exist.
     */
    private static Map<Object, List<ScoredPoint>> group(List<ScoredPoint> hits, String groupBy, int groups,
                                                        int groupSize) {
        Map<Object, List<ScoredPoint>> byValue = new LinkedHashMap<>();
        for (ScoredPoint hit : hits) {
            for (Object value : values(hit, groupBy)) {
                List<ScoredPoint> group = byValue.get(value);
                if (group == null) {
                    if (byValue.size() > groups) {
                        continue; // one group past the asked ones already shows there are enough
                    }
                    group = new ArrayList<>();
                    byValue.put(value, group);
                }
                if (group.size() < groupSize) {
                    group.add(hit);
                }
            }
        }
        return byValue;
    }

    private static boolean settled(Map<Object, List<ScoredPoint>> byValue, int groups, int groupSize) {
        if (byValue.size() < groups) {
            return false;
        }
        int seen = 0;
        for (List<ScoredPoint> group : byValue.values()) {
            if (seen++ == groups) {
                break;
            }
            if (group.size() < groupSize) {
                return false;
            }
        }
        return true;
    }

    /** The distinct keyword ({@link String}) and integer ({@link Long}) values of {@code groupBy} in the hit's payload. */
    private static Set<Object> values(ScoredPoint hit, String groupBy) {
        Set<Object> values = new LinkedHashSet<>();
        if (hit.payload() != null) {
            JsonNode payload = JSON.valueToTree(hit.payload());
            PayloadMatcher.forEachLeaf(payload, groupBy, leaf -> {
                if (leaf.isTextual()) {
                    values.add(leaf.asText());
                } else if (leaf.isIntegralNumber() && leaf.canConvertToLong()) {
                    values.add(leaf.longValue());
                }
            });
        }
        return values;
    }
}
