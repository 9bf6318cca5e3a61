package dev.vdb.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A request path resolved to a {@link Route} and its path parameters (percent-decoded, not yet
 * validated). Literal segments win over {@code {id}}: {@code /points/search} is the search
 * route, never the point with string id "search". Immutable.
 *
 * @param collection the {@code {name}} segment, or null
 * @param pointId the {@code {id}} segment (or the {@code {file}} of a dashboard file, the
 *     {@code {snapshot}} name, or the {@code {field_name}} of a payload index), or null
 */
record RouteMatch(Route route, String collection, String pointId) {

    /**
     * The route of a request for a raw (still percent-encoded) path, or null when none matches.
     * The method decides one path only: {@code POST /collections/aliases} changes aliases, as in
     * Qdrant; with any other method it is the collection named "aliases".
     */
    static RouteMatch of(String method, String rawPath) {
        String[] s = rawPath.split("/", -1);
        if (s.length < 2 || !s[0].isEmpty()) {
            return null;
        }
        if (s.length == 2) {
            return switch (s[1]) {
                case "" -> new RouteMatch(Route.ROOT, null, null);
                case "healthz" -> new RouteMatch(Route.HEALTHZ, null, null);
                case "metrics" -> new RouteMatch(Route.METRICS, null, null);
                case "openapi.json" -> new RouteMatch(Route.OPENAPI, null, null);
                case "dashboard" -> new RouteMatch(Route.DASHBOARD, null, null);
                case "aliases" -> new RouteMatch(Route.ALIASES, null, null);
                case "collections" -> new RouteMatch(Route.COLLECTIONS, null, null);
                case "cluster" -> new RouteMatch(Route.CLUSTER, null, null);
                case "snapshots" -> new RouteMatch(Route.SNAPSHOTS, null, null);
                default -> null;
            };
        }
        if (s[1].equals("dashboard")) {
            return s.length == 3 ? new RouteMatch(Route.DASHBOARD_FILE, null, decode(s[2])) : null;
        }
        if (s[1].equals("snapshots")) {
            return s.length == 3 ? new RouteMatch(Route.SNAPSHOT, null, decode(s[2])) : null;
        }
        if (!s[1].equals("collections")) {
            return null;
        }
        String name = decode(s[2]);
        if (s.length == 3 && name.equals("aliases") && method.equals("POST")) {
            return new RouteMatch(Route.UPDATE_ALIASES, null, null);
        }
        if (s.length == 3) {
            return new RouteMatch(Route.COLLECTION, name, null);
        }
        String rest = String.join("/", java.util.Arrays.copyOfRange(s, 3, s.length));
        Route route = Route.underCollection(rest);
        if (route != null) {
            return new RouteMatch(route, name, null);
        }
        if (s.length == 5 && s[3].equals("points")) {
            return new RouteMatch(Route.POINT, name, decode(s[4]));
        }
        if (s.length == 5 && s[3].equals("index")) {
            return new RouteMatch(Route.PAYLOAD_INDEX_FIELD, name, decode(s[4]));
        }
        if (s.length == 5 && s[3].equals("snapshots")) {
            return new RouteMatch(Route.COLLECTION_SNAPSHOT, name, decode(s[4]));
        }
        return null;
    }

    private static String decode(String segment) {
        try {
            // URLDecoder would turn '+' into a space, which is form encoding, not path encoding.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("path segment " + Json.quote(segment)
                    + " is not valid percent-encoding");
        }
    }
}
