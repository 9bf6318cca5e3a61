package dev.vdb.engine.filter;

/**
 * A point on the Earth in degrees, as Qdrant's {@code {"lat":..,"lon":..}}: latitude within
 * [-90, 90], longitude within [-180, 180].
 */
public record GeoPoint(double lat, double lon) {

    public GeoPoint {
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("a geo point needs lat within [-90, 90] and lon within [-180, 180], got lat "
                    + lat + ", lon " + lon);
        }
    }
}
