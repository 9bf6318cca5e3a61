package dev.vdb.server;

import java.util.Set;

/**
 * The routes of the HTTP contract, with their templates (used as metric labels, so the label
 * set stays bounded) and the methods each allows. Immutable.
 */
enum Route {
    HEALTHZ("/healthz", "GET"),
    METRICS("/metrics", "GET"),
    OPENAPI("/openapi.json", "GET"),
    COLLECTIONS("/collections", "GET"),
    COLLECTION("/collections/{name}", "GET", "PUT", "DELETE"),
    PAYLOAD_INDEX("/collections/{name}/index", "PUT"),
    POINTS("/collections/{name}/points", "PUT", "POST"),
    POINT("/collections/{name}/points/{id}", "GET"),
    DELETE_POINTS("/collections/{name}/points/delete", "POST"),
    COUNT_POINTS("/collections/{name}/points/count", "POST"),
    SEARCH("/collections/{name}/points/search", "POST"),
    CLUSTER("/cluster", "GET"),
    COLLECTION_CLUSTER("/collections/{name}/cluster", "GET");

    /** The label used for requests that match no route. */
    static final String UNMATCHED = "unmatched";

    private final String template;
    private final Set<String> methods;

    Route(String template, String... methods) {
        this.template = template;
        this.methods = Set.of(methods);
    }

    String template() {
        return template;
    }

    Set<String> methods() {
        return methods;
    }

    boolean allows(String method) {
        return methods.contains(method);
    }

    /** The Allow header value. */
    String allowHeader() {
        return String.join(", ", methods.stream().sorted().toList());
    }
}
