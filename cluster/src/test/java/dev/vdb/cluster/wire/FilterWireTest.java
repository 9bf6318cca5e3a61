package dev.vdb.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.GeoPoint;
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
                        Filter.matchTextAny("body", "laminar wake"), Filter.matchPrefix("body", "super"),
                        Filter.range("price", 1.5, null, null, 9.0),
                        Filter.keywordRange("s", null, "a", "m", null),
                        Filter.datetimeRange("at", Instant.parse("2020-01-01T00:00:00.000001Z"), null, null,
                                Instant.parse("2021-01-01T00:00:00Z")),
                        Filter.valuesCount("tags", null, 2, 5, null),
                        Filter.minShould(1, Filter.isEmpty("a"), Filter.isNull("b")),
                        Filter.geoRadius("loc", new GeoPoint(52.5, 13.4), 1000.5),
                        Filter.geoBoundingBox("loc", new GeoPoint(60, 170), new GeoPoint(10, -170)),
                        Filter.geoPolygon("loc", square(0), List.of(square(0.25)))),
                List.of(Filter.hasId(PointId.of(7), PointId.of("x")), nested),
                List.of(Filter.should(Filter.match("ok", false))));
        assertEquals(all, FilterWire.decode(FilterWire.encode(all)));
    }

    private static List<GeoPoint> square(double inset) {
        return List.of(new GeoPoint(inset, inset), new GeoPoint(inset, 1 - inset), new GeoPoint(1 - inset, 1 - inset),
                new GeoPoint(1 - inset, inset), new GeoPoint(inset, inset));
    }
}
