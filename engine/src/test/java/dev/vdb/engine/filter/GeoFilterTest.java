package dev.vdb.engine.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.payload.PayloadMatcher;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The geo conditions against Qdrant's documented results and independent geometry. */
class GeoFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean at(Filter f, double lat, double lon) {
        ObjectNode payload = JSON.createObjectNode();
        payload.putObject("loc").put("lat", lat).put("lon", lon);
        return PayloadMatcher.matches(f, PointId.of(1), payload);
    }

    @Test
    void radiusIsTheGreatCircleDistanceOnTheMeanEarth() {
        // Qdrant's figure for (0, 0) to (0.5, 0.5): 78626.29627999048 m
        assertEquals(78626.29627999048, GeoMath.haversineMetres(0, 0, 0.5, 0.5), 0.01);
        assertTrue(at(Filter.geoRadius("loc", new GeoPoint(0, 0), 78626.30), 0.5, 0.5));
        assertFalse(at(Filter.geoRadius("loc", new GeoPoint(0, 0), 78626.29), 0.5, 0.5));
        // Qdrant's Berlin example: 2 km around a point near Berlin holds Berlin, not Moscow
        Filter nearBerlin = Filter.geoRadius("loc", new GeoPoint(52.511, 13.423637), 2000);
        assertTrue(at(nearBerlin, 52.52197645, 13.413637435864272));
        assertFalse(at(nearBerlin, 55.7536283, 37.62137960067377));
        // against the spherical law of cosines, another formula on the same sphere
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 1_000; i++) {
            double lat1 = random.nextDouble(-89, 89);
            double lon1 = random.nextDouble(-180, 180);
            double lat2 = random.nextDouble(-89, 89);
            double lon2 = random.nextDouble(-180, 180);
            double cosines = GeoMath.EARTH_RADIUS_METRES * Math.acos(Math.min(1,
                    Math.sin(Math.toRadians(lat1)) * Math.sin(Math.toRadians(lat2))
                            + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2))
                            * Math.cos(Math.toRadians(lon2 - lon1))));
            assertEquals(cosines, GeoMath.haversineMetres(lat1, lon1, lat2, lon2), 1e-3 + cosines * 1e-9);
        }
    }

    @Test
    void boundingBoxesAreStrictAndMayCrossTheAntimeridian() {
        Filter box = Filter.geoBoundingBox("loc", new GeoPoint(1, -1), new GeoPoint(-1, 1));
        assertTrue(at(box, 0.5, -0.5));
        assertFalse(at(box, 1.5, 1.5));
        assertFalse(at(box, 1, 0), "on the top edge");
        assertFalse(at(box, 0, 1), "on the right edge");
        // Qdrant's example: a box from 167° E to 66.9° W holds New York, not Berlin
        Filter usa = Filter.geoBoundingBox("loc", new GeoPoint(74.071028, 167), new GeoPoint(18.7763, -66.885417));
        assertTrue(at(usa, 40.75798, -73.991516));
        assertFalse(at(usa, 52.52437, 13.41053));
        assertTrue(at(usa, 50, 170), "east of the left edge, across the antimeridian");
    }

    @Test
    void polygonsHoldTheirInsideButNotTheirHolesOrBoundaries() {
        // a concave C: the square 0..10 with the notch 3..7 x 5..10 cut out, and a hole 1..2 x 1..2
        List<GeoPoint> c = List.of(new GeoPoint(0, 0), new GeoPoint(0, 10), new GeoPoint(10, 10), new GeoPoint(10, 7),
                new GeoPoint(5, 7), new GeoPoint(5, 3), new GeoPoint(10, 3), new GeoPoint(10, 0), new GeoPoint(0, 0));
        List<GeoPoint> hole = List.of(new GeoPoint(1, 1), new GeoPoint(1, 2), new GeoPoint(2, 2), new GeoPoint(2, 1),
                new GeoPoint(1, 1));
        Filter polygon = Filter.geoPolygon("loc", c, List.of(hole));
        // lat, lon, inside?
        Object[][] cases = {
            {4.0, 5.0, true}, {8.0, 1.0, true}, {8.0, 9.0, true}, {8.0, 5.0, false}, {1.5, 1.5, false},
            {1.0, 1.5, false}, {0.0, 5.0, false}, {5.0, 5.0, false}, {11.0, 5.0, false}, {-1.0, -1.0, false},
            {2.5, 2.5, true}, {10.0, 1.0, false},
        };
        for (Object[] p : cases) {
            assertEquals(p[2], at(polygon, (double) p[0], (double) p[1]), "lat " + p[0] + ", lon " + p[1]);
        }
    }

    @Test
    void geoConditionsReadQdrantsJsonAndOnlyPointObjects() throws Exception {
        Filter radius = Filter.fromJson("{\"key\":\"loc\",\"geo_radius\":{\"center\":{\"lon\":13.4,\"lat\":52.5},\"radius\":1000}}");
        assertEquals(Filter.geoRadius("loc", new GeoPoint(52.5, 13.4), 1000), radius);
        Filter polygon = Filter.fromJson("{\"key\":\"loc\",\"geo_polygon\":{\"exterior\":{\"points\":[{\"lat\":0,\"lon\":0},"
                + "{\"lat\":0,\"lon\":1},{\"lat\":1,\"lon\":1},{\"lat\":0,\"lon\":0}]},\"interiors\":[]}}");
        assertEquals(3, ((Filter.GeoPolygon) polygon).exterior().size() - 1);
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"loc\":[{\"lat\":10,\"lon\":10},{\"lat\":52.5001,\"lon\":13.4}],"
                + "\"str\":\"52.5,13.4\",\"half\":{\"lat\":52.5}}");
        assertTrue(PayloadMatcher.matches(radius, PointId.of(1), payload), "any point of an array");
        for (String key : new String[] {"str", "half", "absent"}) {
            Filter f = Filter.geoRadius(key, new GeoPoint(52.5, 13.4), 1e7);
            assertFalse(PayloadMatcher.matches(f, PointId.of(1), payload), key);
        }
        String[][] bad = {
            {"{\"key\":\"loc\",\"geo_radius\":{\"center\":{\"lat\":91,\"lon\":0},\"radius\":1}}",
                "filter.geo_radius.center.lat must be a number within [-90, 90], got 91"},
            {"{\"key\":\"loc\",\"geo_radius\":{\"center\":{\"lat\":0,\"lon\":0},\"radius\":-1}}",
                "filter.geo_radius.radius must be a finite number of metres, not negative, got -1"},
            {"{\"key\":\"loc\",\"geo_polygon\":{\"exterior\":{\"points\":[{\"lat\":0,\"lon\":0},{\"lat\":0,\"lon\":1},"
                + "{\"lat\":1,\"lon\":1},{\"lat\":1,\"lon\":0}]}}}", "filter: geo_polygon.exterior for key 'loc' must end where it starts"},
            {"{\"key\":\"loc\",\"geo_polygon\":{\"exterior\":{\"points\":[{\"lat\":0,\"lon\":0},{\"lat\":0,\"lon\":1},"
                + "{\"lat\":0,\"lon\":0}]}}}", "filter: geo_polygon.exterior for key 'loc' needs at least 4 points, got 3"},
            {"{\"key\":\"loc\",\"geo_bounding_box\":{\"top_left\":{\"lat\":1,\"lon\":1}}}",
                "filter.geo_bounding_box.bottom_right must be an object like"},
        };
        for (String[] c : bad) {
            String message = assertThrows(IllegalArgumentException.class, () -> Filter.fromJson(c[0])).getMessage();
            assertTrue(message.startsWith(c[1]), message);
        }
    }
}
