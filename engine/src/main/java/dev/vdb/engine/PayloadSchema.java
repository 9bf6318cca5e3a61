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
    DATETIME;

    /** The schema named {@code name} (keyword, integer, float, bool, datetime; any case). */
    public static PayloadSchema parse(String name) {
        for (PayloadSchema s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "field_schema must be one of keyword, integer, float, bool, datetime, got '" + name + "'");
    }

    /** The lower-case name used in the HTTP API. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
