package dev.vdb.engine.filter;

import java.util.List;

/**
 * The geometry of the geo conditions, as Qdrant computes it: great-circle distances by the
 * haversine formula on a sphere of the Earth's mean radius; polygons in the plane of longitude
 * and latitude. Stateless and thread-safe.
 */
public final class GeoMath {

    /** The Earth's mean radius in metres (IUGG), the one Qdrant's haversine uses. */
    static final double EARTH_RADIUS_METRES = 6_371_008.8;

    private GeoMath() {}

    /** The great-circle distance in metres between two points given in degrees. */
    public static double haversineMetres(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /**
     * Whether (lat, lon) lies strictly inside the closed ring: an odd number of its edges cross the
     * ray from the point toward growing longitude, and no edge passes through the point.
     */
    static boolean insideRing(List<GeoPoint> ring, double lat, double lon) {
        boolean inside = false;
        for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            GeoPoint a = ring.get(i);
            GeoPoint b = ring.get(j);
            if (onSegment(a, b, lat, lon)) {
                return false;
            }
            if ((a.lat() > lat) != (b.lat() > lat)) {
                double crossLon = a.lon() + (lat - a.lat()) * (b.lon() - a.lon()) / (b.lat() - a.lat());
                if (lon < crossLon) {
                    inside = !inside;
                }
            }
        }
        return inside;
    }

    /** Whether (lat, lon) lies on the ring's boundary. */
    static boolean onRing(List<GeoPoint> ring, double lat, double lon) {
        for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            if (onSegment(ring.get(i), ring.get(j), lat, lon)) {
                return true;
            }
        }
        return false;
    }

    private static boolean onSegment(GeoPoint a, GeoPoint b, double lat, double lon) {
        double cross = (b.lon() - a.lon()) * (lat - a.lat()) - (b.lat() - a.lat()) * (lon - a.lon());
        return cross == 0
                && lon >= Math.min(a.lon(), b.lon()) && lon <= Math.max(a.lon(), b.lon())
                && lat >= Math.min(a.lat(), b.lat()) && lat <= Math.max(a.lat(), b.lat());
    }
}
