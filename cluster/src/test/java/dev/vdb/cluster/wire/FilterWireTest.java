package dev.vdb.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of condition crosses the wire into an equal filter. */
class FilterWireTest {

    @Test
    void everyConditionKindDecodesIntoAnEqualFilter() {
        Filter nested = Filter.nested("diet", Filter.must(Filter.match("food", "meat"), Filter.match("likes", true)));
        Filter all = new Filter.Bool(
                List.of(Filter.match("city", "Oslo"), Filter.match("n", 3), Filter.matchAny("tags", "a", "b"),
                        Filter.matchExcept("n", 1, 2), Filter.matchText("body", "flow"),
                        Filter.range("price", 1.5, null, null, 9.0),
                        Filter.keywordRange("s", null, "a", "m", null),
                        Filter.datetimeRange("at", Instant.parse("2020-01-01T00:00:00.000001Z"), null, null,
                                Instant.parse("2021-01-01T00:00:00Z")),
                        Filter.valuesCount("tags", null, 2, 5, null),
                        Filter.minShould(1, Filter.isEmpty("a"), Filter.isNull("b"))),
                List.of(Filter.hasId(PointId.of(7), PointId.of("x")), nested),
                List.of(Filter.should(Filter.match("ok", false))));
        assertEquals(all, FilterWire.decode(FilterWire.encode(all)));
    }
}
