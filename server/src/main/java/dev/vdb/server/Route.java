package dev.vdb.server;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The routes of the HTTP contract and of the Qdrant API it follows, with their templates (used
 * as metric labels, so the label set stays bounded) and the methods each allows. Immutable.
 */
enum Route {
    ROOT("/", "GET"),
    HEALTHZ("/healthz", "GET"),
    METRICS("/metrics", "GET"),
    OPENAPI("/openapi.json", "GET"),
    DASHBOARD("/dashboard", "GET"),
    DASHBOARD_FILE("/dashboard/{file}", "GET"),
    ALIASES("/aliases", "GET"),
    COLLECTIONS("/collections", "GET"),
    /** Before {@link #COLLECTION}: {@code POST /collections/aliases} (Qdrant's), any other method is the collection "aliases". */
    UPDATE_ALIASES("/collections/aliases", "POST"),
    COLLECTION("/collections/{name}", "GET", "PUT", "PATCH", "DELETE"),
    COLLECTION_EXISTS("/collections/{name}/exists", "GET"),
    COLLECTION_ALIASES("/collections/{name}/aliases", "GET"),
    PAYLOAD_INDEX("/collections/{name}/index", "PUT"),
    PAYLOAD_INDEX_FIELD("/collections/{name}/index/{field_name}", "DELETE"),
    POINTS("/collections/{name}/points", "PUT", "POST"),
    POINT("/collections/{name}/points/{id}", "GET"),
    DELETE_POINTS("/collections/{name}/points/delete", "POST"),
    BATCH_UPDATE("/collections/{name}/points/batch", "POST"),
    COUNT_POINTS("/collections/{name}/points/count", "POST"),
    SCROLL("/collections/{name}/points/scroll", "POST"),
    SET_PAYLOAD("/collections/{name}/points/payload", "POST", "PUT"),
    DELETE_PAYLOAD("/collections/{name}/points/payload/delete", "POST"),
    CLEAR_PAYLOAD("/collections/{name}/points/payload/clear", "POST"),
    UPDATE_VECTORS("/collections/{name}/points/vectors", "PUT"),
    DELETE_VECTORS("/collections/{name}/points/vectors/delete", "POST"),
    SEARCH("/collections/{name}/points/search", "POST"),
    SEARCH_BATCH("/collections/{name}/points/search/batch", "POST"),
    SEARCH_GROUPS("/collections/{name}/points/search/groups", "POST"),
    RECOMMEND("/collections/{name}/points/recommend", "POST"),
    RECOMMEND_BATCH("/collections/{name}/points/recommend/batch", "POST"),
    QUERY("/collections/{name}/points/query", "POST"),
    QUERY_BATCH("/collections/{name}/points/query/batch", "POST"),
    QUERY_GROUPS("/collections/{name}/points/query/groups", "POST"),
    FACET("/collections/{name}/facet", "POST"),
    CLUSTER("/cluster", "GET"),
    COLLECTION_CLUSTER("/collections/{name}/cluster", "GET"),
    SNAPSHOTS("/snapshots", "GET", "POST"),
    SNAPSHOT("/snapshots/{snapshot}", "GET", "DELETE"),
    COLLECTION_SNAPSHOTS("/collections/{name}/snapshots", "GET", "POST"),
    COLLECTION_SNAPSHOT("/collections/{name}/snapshots/{snapshot}", "GET", "DELETE"),
    RECOVER_SNAPSHOT("/collections/{name}/snapshots/recover", "PUT"),
    UPLOAD_SNAPSHOT("/collections/{name}/snapshots/upload", "POST");

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

    /** The route under {@code /collections/{name}/} for the rest of the path, or null. */
    static Route underCollection(String rest) {
        return UnderCollection.BY_REST.get(rest);
    }

    /** The literal routes under {@code /collections/{name}/}, by the rest of their template. */
    private static final class UnderCollection {
        private static final String PREFIX = "/collections/{name}/";
        static final Map<String, Route> BY_REST = Arrays.stream(values())
                .filter(r -> r != POINT && r != COLLECTION_SNAPSHOT && r != PAYLOAD_INDEX_FIELD
                        && r.template.startsWith(PREFIX))
                .collect(Collectors.toUnmodifiableMap(r -> r.template.substring(PREFIX.length()), r -> r));
    }
}
