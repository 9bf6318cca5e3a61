package dev.vdb.engine.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vdb.engine.PointId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LiveOrdinals#idsOf} against {@link LiveOrdinals#idOf}, one ordinal at a time. */
class LiveOrdinalsTest {

    @Test
    void idsOfMatchesIdOfForLiveRemovedAndUnknownOrdinals() {
        LiveOrdinals live = new LiveOrdinals();
        SplittableRandom random = new SplittableRandom(5);
        int next = 3_000;
        live.reserve(next);
        for (int ordinal = 0; ordinal < next; ordinal++) {
            PointId id = random.nextInt(4) == 0 ? PointId.of("s" + ordinal) : PointId.of(random.nextLong(Long.MAX_VALUE));
            live.add(ordinal, id);
        }
        for (int ordinal = 0; ordinal < next; ordinal += 7) {
            live.remove(ordinal);
        }
        int[] ordinals = new int[500];
        for (int i = 0; i < ordinals.length; i++) {
            // live, removed, and past every ordinal handed out (beyond the arrays' capacity too)
            ordinals[i] = random.nextInt(next + next / 2) + (i % 50 == 0 ? 1 << 20 : 0);
        }
        int from = 13;
        int to = 487;
        PointId[] expected = new PointId[to - from];
        for (int i = from; i < to; i++) {
            expected[i - from] = live.idOf(ordinals[i]);
        }
        PointId[] actual = new PointId[to - from];
        live.idsOf(ordinals, from, to, actual);
        assertArrayEquals(expected, actual);
    }
}
