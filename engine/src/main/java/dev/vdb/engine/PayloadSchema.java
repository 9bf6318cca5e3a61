package dev.vdb.engine;

import java.util.Locale;

/** The type of a payload index ({@code field_schema}): what values it holds and which filters it answers. */
public enum PayloadSchema {
    /** Strings: match value / any / except. */
    KEYWORD,
    /** Integers: match value / any / except and ranges. */
    INTEGER,
    /** Numbers: ranges. */
    FLOAT,
    /** Booleans: match value. */
    BOOL,
    /** Date-time strings ({@link dev.vdb.engine.filter.DateTimes}): ranges of date-times, order by. */
    DATETIME,
    /** Points on the Earth ({@code {"lat":..,"lon":..}}): geo radius, bounding box and polygon. */
    GEO,
    /** UUID strings (Qdrant's uuid index): match value / any / except, as a keyword index. */
    UUID;

    /** Every schema's API name, as a list for messages: "keyword, integer, ...". */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(PayloadSchema::apiName).toList());
    }

    /** The schema named {@code name} ({@link #names}; any case). */
    public static PayloadSchema parse(String name) {
        for (PayloadSchema s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "field_schema must be one of " + names() + ", got '" + name + "'");
    }

    /** The lower-case name used in the HTTP API. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
