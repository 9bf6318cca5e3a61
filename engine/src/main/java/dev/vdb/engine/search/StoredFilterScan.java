package dev.vdb.engine.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.payload.FilterResolver;
import dev.vdb.engine.payload.PayloadMatcher;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.state.LiveOrdinals;
import dev.vdb.engine.storage.PointSnapshot;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.write.PointWriter;
import dev.vdb.index.Deadline;
import dev.vdb.index.OrdinalSet;
import java.util.List;

/**
 * Resolves a filter the payload indexes cannot decide without holding the state lock across
 * the scan of stored payloads, so that writers (and the searches queued behind a waiting
 * writer) are never held up by a long scan. While no write runs (the writer lock, held for an
 * in-memory moment) it takes the indexed clauses' candidates and a RocksDB snapshot, which then
 * holds exactly the published state; the candidates' payloads are read from the snapshot in
 * chunks with no lock held. The answer is the filter's matches at that moment, with the
 * ordinals handed out since (points written during the scan) evaluated when it is used.
 *
 * <p>Thread-safe: each call works on its own snapshot and sets.
 */
final class StoredFilterScan {

    /** Ordinals whose ids and payloads one chunk reads. */
    static final int CHUNK = 512;

    /** What a filter matched at one moment, and the first ordinal handed out after it. */
    record Matches(OrdinalSet ordinals, int nextOrdinal) {

        /**
         * The matches as of the current published state (call under the state read lock): the
         * ordinals that died since are dropped, those handed out since are evaluated.
         */
        OrdinalSet current(LiveOrdinals live, FilterResolver resolver, Filter filter) {
            OrdinalSet out = OrdinalSet.copyOf(ordinals.words());
            out.andWords(live.words());
            int[] fresh = new int[Math.max(0, live.nextOrdinal() - nextOrdinal)];
            int n = 0;
            for (int ordinal = nextOrdinal; ordinal < live.nextOrdinal(); ordinal++) {
                if (live.get(ordinal)) {
                    fresh[n++] = ordinal;
                }
            }
            boolean[] accepted = resolver.evaluateHits(filter, fresh, n);
            for (int i = 0; i < n; i++) {
                if (accepted[i]) {
                    out.add(fresh[i]);
                }
            }
            return out;
        }
    }

    private final CollectionState state;
    private final PointWriter writer;
    private final PointStore store;
    /** Runs after each chunk; tests pause a scan here to show that writers go on meanwhile. */
    private final Runnable afterChunk;

    StoredFilterScan(CollectionState state, PointWriter writer, PointStore store) {
        this(state, writer, store, () -> { });
    }

    StoredFilterScan(CollectionState state, PointWriter writer, PointStore store, Runnable afterChunk) {
        this.state = state;
        this.writer = writer;
        this.store = store;
        this.afterChunk = afterChunk;
    }

    /** What {@code filter} matches, the stored payloads read with no lock held, within {@code deadline}. */
    Matches resolve(Filter filter, Deadline deadline) {
        record Start(OrdinalSet decided, OrdinalSet candidates, int nextOrdinal, PointSnapshot snapshot) {}
        Start start = writer.whileNoWriteRuns(() -> state.read(() -> {
            FilterResolver resolver = state.resolver(store::payloads);
            int next = state.live().nextOrdinal();
            OrdinalSet decided = resolver.resolveIndexed(filter);
            return decided != null ? new Start(decided, null, next, null)
                    : new Start(null, resolver.candidates(filter), next, store.snapshot());
        }));
        if (start.decided() != null) {
            return new Matches(start.decided(), start.nextOrdinal());
        }
        try (PointSnapshot snapshot = start.snapshot()) {
            OrdinalSet out = new OrdinalSet(start.nextOrdinal());
            long[] words = start.candidates().words();
            int[] chunk = new int[CHUNK];
            int n = 0;
            for (int w = 0; w < words.length; w++) {
                for (long bits = words[w]; bits != 0; bits &= bits - 1) {
                    chunk[n++] = (w << 6) + Long.numberOfTrailingZeros(bits);
                    if (n == CHUNK) {
                        deadline.check();
                        evaluate(snapshot, filter, chunk, n, out);
                        n = 0;
                    }
                }
            }
            evaluate(snapshot, filter, chunk, n, out);
            return new Matches(out, start.nextOrdinal());
        }
    }

    /** Adds to {@code out} the ordinals among {@code chunk[0..n)} whose payload at the snapshot {@code filter} matches. */
    private void evaluate(PointSnapshot snapshot, Filter filter, int[] chunk, int n, OrdinalSet out) {
        if (n == 0) {
            return;
        }
        List<PointId> ids = snapshot.idsOf(chunk, 0, n);
        List<ObjectNode> payloads = snapshot.payloads(ids);
        for (int i = 0; i < n; i++) {
            PointId id = ids.get(i);
            if (id != null && PayloadMatcher.matches(filter, id, payloads.get(i))) {
                out.add(chunk[i]);
            }
        }
        afterChunk.run();
    }
}
