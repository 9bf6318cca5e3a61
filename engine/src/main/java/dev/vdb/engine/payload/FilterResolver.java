package dev.vdb.engine.payload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.payload.field.FieldIndex;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.index.Bits;
import dev.vdb.index.Deadline;
import dev.vdb.index.OrdinalSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a {@link Filter} into the live ordinals it matches, for one query at one published state
 * of a collection. Conditions on indexed fields (and {@code has_id}) resolve through the
 * {@link PayloadIndexes} and the id map; the rest is decided by {@link PayloadMatcher} on stored
 * payloads, read only for the candidates the indexed {@code must} clauses leave.
 *
 * <p>Used by one thread while the caller holds the collection's state read lock. Reading stored
 * payloads stops at the resolver's {@link Deadline} ({@link dev.vdb.index.DeadlineExceededException}).
 */
public final class FilterResolver {

    /** Live ordinals sampled to estimate how many points a filter matches. */
    static final int ESTIMATE_SAMPLE = 128;
    /** Distinct values a range may span and still be resolved per query rather than tested per point. */
    static final int CHEAP_RANGE_VALUES = 2_048;
    /** Payloads read from RocksDB per round trip when evaluating stored payloads. */
    private static final int PAYLOAD_BATCH = 512;

    /** Reads the stored payloads of points (null where a point has none or is gone). */
    public interface PayloadReader {
        List<ObjectNode> payloads(List<PointId> ids);
    }

    /** Looks up a point's live ordinal, or -1. */
    public interface OrdinalLookup {
        int ordinalOf(PointId id);
    }

    private final LiveOrdinals live;
    private final PayloadIndexes indexes;
    private final OrdinalLookup ordinals;
    private final PayloadReader payloads;
    /** Checked before each round trip of stored payloads (the slow part of a resolve). */
    private final Deadline deadline;

    public FilterResolver(LiveOrdinals live, PayloadIndexes indexes, OrdinalLookup ordinals, PayloadReader payloads,
                          Deadline deadline) {
        this.live = live;
        this.indexes = indexes;
        this.ordinals = ordinals;
        this.payloads = payloads;
        this.deadline = deadline;
    }

    /** Exactly the live ordinals {@code filter} matches. */
    public OrdinalSet resolve(Filter filter) {
        OrdinalSet exact = resolveIndexed(filter);
        return exact != null ? exact : evaluate(filter, candidates(filter));
    }

    /** Exactly the live ordinals {@code filter} matches, when indexes alone can tell; else null. */
    public OrdinalSet resolveIndexed(Filter filter) {
        return switch (filter) {
            case Filter.Bool b -> resolveBool(b);
            case Filter.HasId h -> hasId(h);
            case Filter.MatchValue m -> leaf(m.key(), m);
            case Filter.MatchAny m -> leaf(m.key(), m);
            case Filter.Range r -> leaf(r.key(), r);
            case Filter.DatetimeRange r -> leaf(r.key(), r);
            case Filter.Geo g -> leaf(g.key(), g);
            case Filter.MinShould m -> resolveMinShould(m);
            case Filter.ValuesCount c -> null;
            case Filter.Nested n -> null;
            case Filter.MatchExcept m -> null;
            case Filter.MatchText m -> null;
            case Filter.MatchTextAny m -> null;
            case Filter.MatchPrefix m -> null;
            case Filter.KeywordRange r -> null;
            case Filter.IsEmpty e -> null;
            case Filter.IsNull n -> null;
        };
    }

    /**
     * A per-point test equal to {@link #resolveIndexed} without building the set, when indexes
     * alone can tell; else null. Each call checks the ordinal's indexed values, so it suits a
     * traversal that visits a small part of the collection.
     */
    public Bits perPoint(Filter filter) {
        return switch (filter) {
            case Filter.Bool b -> perPointBool(b);
            case Filter.HasId h -> hasId(h);
            case Filter.MatchValue m -> perPointLeaf(m.key(), m);
            case Filter.MatchAny m -> perPointLeaf(m.key(), m);
            case Filter.Range r -> perPointLeaf(r.key(), r);
            case Filter.DatetimeRange r -> perPointLeaf(r.key(), r);
            case Filter.Geo g -> perPointLeaf(g.key(), g);
            case Filter.MinShould m -> perPointMinShould(m);
            case Filter.ValuesCount c -> null;
            case Filter.Nested n -> null;
            case Filter.MatchExcept m -> null;
            case Filter.MatchText m -> null;
            case Filter.MatchTextAny m -> null;
            case Filter.MatchPrefix m -> null;
            case Filter.KeywordRange r -> null;
            case Filter.IsEmpty e -> null;
            case Filter.IsNull n -> null;
        };
    }

    /**
     * Whether {@link #resolveIndexed} builds the set cheaply: every condition is decided by an
     * index, and no range spans more than {@value #CHEAP_RANGE_VALUES} distinct values.
     */
    public boolean resolvesCheaply(Filter filter) {
        return switch (filter) {
            case Filter.Bool b -> b.must().stream().allMatch(this::resolvesCheaply)
                    && b.should().stream().allMatch(this::resolvesCheaply)
                    && b.mustNot().stream().allMatch(this::resolvesCheaply);
            case Filter.HasId h -> true;
            case Filter.MatchValue m -> leafResolvesCheaply(m.key(), m);
            case Filter.MatchAny m -> leafResolvesCheaply(m.key(), m);
            case Filter.Range r -> leafResolvesCheaply(r.key(), r);
            case Filter.DatetimeRange r -> leafResolvesCheaply(r.key(), r);
            case Filter.Geo g -> leafResolvesCheaply(g.key(), g);
            case Filter.MinShould m -> m.conditions().stream().allMatch(this::resolvesCheaply);
            case Filter.ValuesCount c -> false;
            case Filter.Nested n -> false;
            case Filter.MatchExcept m -> false;
            case Filter.MatchText m -> false;
            case Filter.MatchTextAny m -> false;
            case Filter.MatchPrefix m -> false;
            case Filter.KeywordRange r -> false;
            case Filter.IsEmpty e -> false;
            case Filter.IsNull n -> false;
        };
    }

    private boolean leafResolvesCheaply(String key, Filter condition) {
        FieldIndex index = indexes.forKey(key);
        return index != null && index.resolvesCheaply(condition, CHEAP_RANGE_VALUES);
    }

    /**
     * About how many live points {@code test} accepts, from a sample of
     * {@value #ESTIMATE_SAMPLE} live ordinals (all of them in a smaller collection).
     */
    public int estimateMatches(Bits test) {
        int liveCount = live.count();
        if (liveCount <= ESTIMATE_SAMPLE) {
            int n = 0;
            for (int ordinal : live.toArray()) {
                n += test.get(ordinal) ? 1 : 0;
            }
            return n;
        }
        // a fixed-seed sample, so one query plans the same way each time it runs
        SplittableRandom random = new SplittableRandom(liveCount);
        int bound = live.nextOrdinal();
        int sampled = 0;
        int accepted = 0;
        for (int tries = 0; sampled < ESTIMATE_SAMPLE && tries < 8 * ESTIMATE_SAMPLE; tries++) {
            int ordinal = random.nextInt(bound);
            if (live.get(ordinal)) {
                sampled++;
                accepted += test.get(ordinal) ? 1 : 0;
            }
        }
        return sampled == 0 ? liveCount : (int) ((long) accepted * liveCount / sampled);
    }

    /**
     * A superset of what {@code filter} matches, from the indexed {@code must} clauses of a
     * top-level Bool, or every live ordinal when there is none.
     */
    public OrdinalSet candidates(Filter filter) {
        OrdinalSet out = null;
        if (filter instanceof Filter.Bool b) {
            for (Filter must : b.must()) {
                OrdinalSet c = resolveIndexed(must);
                if (c != null) {
                    out = and(out, c);
                }
            }
        }
        return out != null ? out : allLive();
    }

    /** The ordinals among {@code candidates} whose stored payload {@code filter} matches. */
    public OrdinalSet evaluate(Filter filter, OrdinalSet candidates) {
        int[] ordinalList = candidates.toArray();
        OrdinalSet out = new OrdinalSet(live.nextOrdinal());
        boolean[] accepted = evaluateHits(filter, ordinalList, ordinalList.length);
        for (int i = 0; i < ordinalList.length; i++) {
            if (accepted[i]) {
                out.add(ordinalList[i]);
            }
        }
        return out;
    }

    /** Whether {@code filter} matches each of the live ordinals {@code hits[0..n)}, by their stored payloads. */
    public boolean[] evaluateHits(Filter filter, int[] hits, int n) {
        boolean[] accepted = new boolean[n];
        for (int from = 0; from < n; from += PAYLOAD_BATCH) {
            deadline.check();
            int to = Math.min(n, from + PAYLOAD_BATCH);
            List<PointId> ids = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                ids.add(live.idOf(hits[i]));
            }
            List<ObjectNode> stored = payloads.payloads(ids);
            for (int i = from; i < to; i++) {
                accepted[i] = PayloadMatcher.matches(filter, ids.get(i - from), stored.get(i - from));
            }
        }
        return accepted;
    }

    private OrdinalSet resolveBool(Filter.Bool b) {
        OrdinalSet out = null;
        for (Filter must : b.must()) {
            OrdinalSet c = resolveIndexed(must);
            if (c == null) {
                return null;
            }
            out = and(out, c);
        }
        if (!b.should().isEmpty()) {
            OrdinalSet any = new OrdinalSet(live.nextOrdinal());
            for (Filter should : b.should()) {
                OrdinalSet c = resolveIndexed(should);
                if (c == null) {
                    return null;
                }
                any.or(c);
            }
            out = and(out, any);
        }
        for (Filter mustNot : b.mustNot()) {
            OrdinalSet c = resolveIndexed(mustNot);
            if (c == null) {
                return null;
            }
            if (out == null) {
                out = allLive();
            }
            out.andNot(c);
        }
        return out != null ? out : allLive();
    }

    private OrdinalSet resolveMinShould(Filter.MinShould m) {
        if (m.minCount() == 0) {
            return allLive();
        }
        int[] held = new int[live.nextOrdinal()];
        for (Filter condition : m.conditions()) {
            OrdinalSet c = resolveIndexed(condition);
            if (c == null) {
                return null;
            }
            for (int ordinal : c.toArray()) {
                held[ordinal]++;
            }
        }
        OrdinalSet out = new OrdinalSet(live.nextOrdinal());
        for (int ordinal = 0; ordinal < held.length; ordinal++) {
            if (held[ordinal] >= m.minCount()) {
                out.add(ordinal);
            }
        }
        return out;
    }

    private Bits perPointMinShould(Filter.MinShould m) {
        List<Bits> conditions = perPointAll(m.conditions());
        if (conditions == null) {
            return null;
        }
        return ordinal -> {
            int held = 0;
            for (int i = 0; i < conditions.size() && held < m.minCount(); i++) {
                held += conditions.get(i).get(ordinal) ? 1 : 0;
            }
            return held >= m.minCount() && live.get(ordinal);
        };
    }

    private Bits perPointBool(Filter.Bool b) {
        List<Bits> must = perPointAll(b.must());
        List<Bits> should = perPointAll(b.should());
        List<Bits> mustNot = perPointAll(b.mustNot());
        if (must == null || should == null || mustNot == null) {
            return null;
        }
        return ordinal -> {
            for (int i = 0; i < must.size(); i++) {
                if (!must.get(i).get(ordinal)) {
                    return false;
                }
            }
            for (int i = 0; i < mustNot.size(); i++) {
                if (mustNot.get(i).get(ordinal)) {
                    return false;
                }
            }
            if (should.isEmpty()) {
                return live.get(ordinal);
            }
            for (int i = 0; i < should.size(); i++) {
                if (should.get(i).get(ordinal)) {
                    return live.get(ordinal);
                }
            }
            return false;
        };
    }

    private List<Bits> perPointAll(List<Filter> filters) {
        List<Bits> out = new ArrayList<>(filters.size());
        for (Filter f : filters) {
            Bits b = perPoint(f);
            if (b == null) {
                return null;
            }
            out.add(b);
        }
        return out;
    }

    private Bits perPointLeaf(String key, Filter condition) {
        FieldIndex index = indexes.forKey(key);
        if (index == null || !index.answers(condition)) {
            return null;
        }
        return index.matcher(condition);
    }

    private OrdinalSet hasId(Filter.HasId h) {
        OrdinalSet out = new OrdinalSet(live.nextOrdinal());
        for (PointId id : h.ids()) {
            int ordinal = ordinals.ordinalOf(id);
            if (ordinal >= 0 && live.get(ordinal)) {
                out.add(ordinal);
            }
        }
        return out;
    }

    /** The index's answer, or null when there is no index on the key or it does not decide this condition (another type). */
    private OrdinalSet leaf(String key, Filter condition) {
        FieldIndex index = indexes.forKey(key);
        return index == null || !index.answers(condition) ? null : index.answer(condition, live.nextOrdinal());
    }

    private OrdinalSet allLive() {
        return OrdinalSet.copyOf(live.words());
    }

    private static OrdinalSet and(OrdinalSet sofar, OrdinalSet next) {
        if (sofar == null) {
            return next;
        }
        sofar.and(next);
        return sofar;
    }
}
