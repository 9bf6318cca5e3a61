package dev.vdb.engine;

/**
 * One value of a facet ({@link VectorCollection#facet}) and how many points hold it.
 *
 * @param value a {@link String} (keyword), {@link Long} (integer) or {@link Boolean} (bool)
 * @param count the points among those counted that hold the value
 */
public record FacetHit(Object value, long count) {}
