package dev.vdb.engine;

import java.util.Locale;

/** How a filtered vector search finds its hits ({@code params.filter_strategy}). */
public enum FilterStrategy {
    /** The planner picks exact scan, filtered traversal or post-filtering by expected cost. */
    AUTO,
    /** Resolve the filter first, then search only among matching points. */
    PRE,
    /** Search without the filter, drop non-matching hits, widen ef until enough are found. */
    POST;

    /** The strategy named {@code name} ({@code auto}, {@code pre}, {@code post}, any case). */
    public static FilterStrategy parse(String name) {
        for (FilterStrategy s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "params.filter_strategy must be one of auto, pre, post, got '" + name + "'");
    }

    /** The lower-case name used in the HTTP API. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
