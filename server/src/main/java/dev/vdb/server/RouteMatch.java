package dev.vdb.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A request path resolved to a {@link Route} and its path parameters (percent-decoded, not yet
 * validated). Literal segments win over {@code {id}}: {@code /points/search} is the search
 * route, never the point with string id "search". Immutable.
 *
 * @param collection the {@code {name}} segment, or null
 * @param pointId the {@code {id}} segment, or null
 */
record RouteMatch(Route route, String collection, String pointId) {

    /** The route of a raw (still percent-encoded) path, or null when none matches. */
    static RouteMatch of(String rawPath) {
        String[] s = rawPath.split("/", -1);
        if (s.length < 2 || !s[0].isEmpty()) {
            return null;
        }
        switch (s.length) {
            case 2:
                return switch (s[1]) {
                    case "healthz" -> new RouteMatch(Route.HEALTHZ, null, null);
                    case "metrics" -> new RouteMatch(Route.METRICS, null, null);
                    case "openapi.json" -> new RouteMatch(Route.OPENAPI, null, null);
                    case "collections" -> new RouteMatch(Route.COLLECTIONS, null, null);
                    case "cluster" -> new RouteMatch(Route.CLUSTER, null, null);
                    default -> null;
                };
            case 3:
                return s[1].equals("collections") ? new RouteMatch(Route.COLLECTION, decode(s[2]), null) : null;
            case 4:
                if (!s[1].equals("collections")) {
                    return null;
                }
                return switch (s[3]) {
                    case "index" -> new RouteMatch(Route.PAYLOAD_INDEX, decode(s[2]), null);
                    case "points" -> new RouteMatch(Route.POINTS, decode(s[2]), null);
                    case "cluster" -> new RouteMatch(Route.COLLECTION_CLUSTER, decode(s[2]), null);
                    default -> null;
                };
            case 5:
                if (!s[1].equals("collections") || !s[3].equals("points")) {
                    return null;
                }
                return switch (s[4]) {
                    case "delete" -> new RouteMatch(Route.DELETE_POINTS, decode(s[2]), null);
                    case "count" -> new RouteMatch(Route.COUNT_POINTS, decode(s[2]), null);
                    case "search" -> new RouteMatch(Route.SEARCH, decode(s[2]), null);
                    default -> new RouteMatch(Route.POINT, decode(s[2]), decode(s[4]));
                };
            default:
                return null;
        }
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
