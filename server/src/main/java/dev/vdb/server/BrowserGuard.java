package dev.vdb.server;

import dev.vdb.server.transport.TransportRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keeps web pages from using the API behind the user's back. A page on another origin may call
 * the API only when its origin is allowed ({@code --cors-origin}); then it gets the CORS headers
 * and its preflight is answered. Any other request that names an origin other than the server's
 * own gets 403, before authentication and before its body is read. The Host header must name
 * this server (the bound address; loopback names when bound to loopback; {@code --allowed-host}
 * names), which defeats DNS rebinding: a page whose own domain was made to resolve to 127.0.0.1
 * still sends its domain as Host. Requests without Origin or Host (curl, client libraries) are not
 * browser requests and pass. Immutable and thread-safe.
 */
final class BrowserGuard {
    private static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
    private static final String ALLOWED_HEADERS = "content-type, api-key, authorization";

    private final String scheme;
    private final Set<String> corsOrigins;
    private final boolean anyOrigin;
    /** Host names (lower case, no port) requests may name; null when any is accepted. */
    private final Set<String> hosts;
    private final boolean loopbackNames;

    BrowserGuard(String boundHost, boolean tls, List<String> corsOrigins, List<String> allowedHosts) {
        this.scheme = tls ? "https" : "http";
        this.corsOrigins = new HashSet<>();
        for (String o : corsOrigins) {
            this.corsOrigins.add(o.toLowerCase(Locale.ROOT));
        }
        this.anyOrigin = this.corsOrigins.contains("*");
        String bound = unbracket(boundHost.toLowerCase(Locale.ROOT));
        boolean wildcard = bound.equals("0.0.0.0") || bound.equals("::") || bound.isEmpty();
        if (wildcard && allowedHosts.isEmpty()) {
            this.hosts = null; // bound to every address: its names are not known here
            this.loopbackNames = true;
        } else {
            this.hosts = new HashSet<>();
            this.hosts.add(bound);
            for (String h : allowedHosts) {
                this.hosts.add(unbracket(h.toLowerCase(Locale.ROOT)));
            }
            this.loopbackNames = wildcard || isLoopbackName(bound);
        }
    }

    /** localhost, 127.0.0.0/8 or ::1. */
    static boolean isLoopbackName(String host) {
        String h = unbracket(host.toLowerCase(Locale.ROOT));
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    /** A message for the 403 when the request must be refused, else null. */
    String refusal(TransportRequest request) {
        String host = request.header("Host");
        if (host != null && !hostAllowed(host)) {
            return "Host header " + Json.quote(host) + " does not name this server; add it with --allowed-host "
                    + "if this server is reached under that name";
        }
        String origin = request.header("Origin");
        if (origin != null && !sameOrigin(origin, host) && !originAllowed(origin)) {
            return "cross-origin request from " + Json.quote(origin) + " refused; start the server with --cors-origin "
                    + origin + " to let pages from there use the API";
        }
        return null;
    }

    /** A CORS preflight: OPTIONS with an Origin and the method the page wants to send. */
    static boolean isPreflight(TransportRequest request) {
        return request.method().equals("OPTIONS") && request.header("Origin") != null
                && request.header("Access-Control-Request-Method") != null;
    }

    /** The headers that let an allowed cross-origin page read the answer; none for others. */
    Map<String, String> corsHeaders(TransportRequest request) {
        String origin = request.header("Origin");
        if (origin == null || sameOrigin(origin, request.header("Host")) || !originAllowed(origin)) {
            return Map.of();
        }
        return Map.of("Access-Control-Allow-Origin", origin, "Vary", "Origin");
    }

    /** The answer headers of a preflight from an allowed origin (the request passed {@link #refusal}). */
    Map<String, String> preflightHeaders(TransportRequest request) {
        return Map.of("Access-Control-Allow-Origin", request.header("Origin"), "Vary", "Origin",
                "Access-Control-Allow-Methods", ALLOWED_METHODS, "Access-Control-Allow-Headers", ALLOWED_HEADERS,
                "Access-Control-Max-Age", "600");
    }

    private boolean originAllowed(String origin) {
        return anyOrigin || corsOrigins.contains(origin.toLowerCase(Locale.ROOT));
    }

    /** The page was served by this server: its origin is this scheme and the Host it sent. */
    private boolean sameOrigin(String origin, String host) {
        return host != null && origin.equalsIgnoreCase(scheme + "://" + host);
    }

    private boolean hostAllowed(String hostHeader) {
        if (hosts == null) {
            return true;
        }
        String name = hostName(hostHeader.trim().toLowerCase(Locale.ROOT));
        return hosts.contains(name) || (loopbackNames && isLoopbackName(name));
    }

    /** The host of a Host header value, without port and brackets. */
    private static String hostName(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
