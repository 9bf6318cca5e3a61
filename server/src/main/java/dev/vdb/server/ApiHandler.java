package dev.vdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.cluster.ClusterUnavailableException;
import dev.vdb.engine.CollectionConflictException;
import dev.vdb.engine.NoSuchAliasException;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.NoSuchSnapshotException;
import dev.vdb.engine.QueryTimeoutException;
import dev.vdb.engine.StorageFullException;
import dev.vdb.server.transport.RequestHandler;
import dev.vdb.server.transport.TransportRequest;
import dev.vdb.server.transport.TransportResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler behind every path, independent of the HTTP library underneath: authenticates,
 * routes, checks the content type, reads the body whole (bounded) and only then admits the
 * request through the {@link RequestGate}, calls the {@link Endpoints} and answers in the
 * contract's envelope ({@code {"result":..,"status":"ok","time":s}} or
 * {@code {"status":{"error":".."},"time":s}}). Bad input of any kind maps to a 4xx; a 500 means
 * a bug and is logged with its stack trace. Hands one line per request to the {@link AccessLog}.
 * Thread-safe; each request buffers its body and its answer in byte arrays.
 */
final class ApiHandler implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON = "application/json";
    private static final int MAX_LOGGED_PATH = 200;
    /** {@code GET /}: Qdrant's version info shape (its clients read it), naming this server. */
    private static final byte[] VERSION_INFO = ("{\"title\":\"vdb - an embeddable vector database for the JVM\","
            + "\"version\":\"" + VdbServer.VERSION + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final String STORAGE_FULL = "the server's disk is full: this write was not applied, and later writes are "
            + "refused too; reads still work; free space and restart the server to write again";

    private final ObjectMapper mapper;
    private final Endpoints endpoints;
    private final ServerMetrics metrics;
    private final RequestGate gate;
    private final ApiKeyCheck apiKey;
    private final long maxBodyBytes;
    private final byte[] openApi;
    private final BrowserGuard browsers;
    private final Dashboard dashboard;
    private final Duration searchTimeout;
    private final SnapshotEndpoints snapshots;
    private final AccessLog accessLog;

    /**
     * @param apiKey null when no key is required
     * @param searchTimeout the timeout of searches, counts and deletes by filter whose request names none
     */
    ApiHandler(ObjectMapper mapper, Endpoints endpoints, ServerMetrics metrics, RequestGate gate,
               ApiKeyCheck apiKey, long maxBodyBytes, byte[] openApi, BrowserGuard browsers, Dashboard dashboard,
               Duration searchTimeout, SnapshotEndpoints snapshots, AccessLog accessLog) {
        this.mapper = mapper;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.gate = gate;
        this.apiKey = apiKey;
        this.maxBodyBytes = maxBodyBytes;
        this.openApi = openApi;
        this.browsers = browsers;
        this.dashboard = dashboard;
        this.searchTimeout = searchTimeout;
        this.snapshots = snapshots;
        this.accessLog = accessLog;
    }

    @Override
    public TransportResponse handle(TransportRequest request) {
        long start = System.nanoTime();
        String method = request.method();
        String rawPath = request.rawPath();
        Route route = null;
        Answer answer;
        try {
            RouteMatch match = RouteMatch.of(method, rawPath);
            if (match != null) {
                route = match.route();
            }
            answer = answer(request, match, method, start);
        } catch (IllegalArgumentException e) {
            // a path that is not even valid percent-encoding
            answer = refuse(request, error(400, e.getMessage(), start));
        } catch (RuntimeException | Error e) {
            // escaping here, it would make the HTTP server drop the connection without an answer
            LOG.error("bug: {} {} failed outside the endpoints", method, shorten(rawPath), e);
            answer = error(500, "internal error (" + e.getClass().getSimpleName() + "), see the server log", start)
                    .withClose();
        }
        answer = answer.withHeaders(browsers.corsHeaders(request));
        long nanos = System.nanoTime() - start;
        metrics.request(route, method, answer.status(), nanos);
        accessLog.record(request.remoteAddress(), method, shorten(rawPath), answer.status(), answer.body().length,
                nanos / 1000);
        return answer.response();
    }

    private Answer answer(TransportRequest request, RouteMatch match, String method, long start) {
        String refusal = browsers.refusal(request);
        if (refusal != null) {
            return refuse(request, error(403, refusal, start));
        }
        if (BrowserGuard.isPreflight(request)) {
            return refuse(request, new Answer(204, JSON, new byte[0], browsers.preflightHeaders(request), false));
        }
        if (apiKey != null && (match == null || !isPublic(match.route()))
                && !apiKey.accepts(request.header(ApiKeyCheck.HEADER), request.header("Authorization"))) {
            return refuse(request, error(401, "missing or wrong api key (header api-key, or Authorization: Bearer)",
                    start));
        }
        if (match == null) {
            return refuse(request, error(404, "no route for " + Json.quote(request.rawPath()), start));
        }
        if (!match.route().allows(method)) {
            return refuse(request, error(405, "method " + Json.quote(method) + " is not allowed on "
                    + match.route().template() + ", allowed: " + match.route().allowHeader(), start)
                    .withHeader("Allow", match.route().allowHeader()));
        }
        byte[] body;
        try {
            // an upload streams to disk once admitted (bounded in time by the read timeout, not by size)
            body = hasBody(method) && match.route() != Route.UPLOAD_SNAPSHOT ? jsonBody(request) : null;
        } catch (HttpError e) {
            return refuse(request, error(e.status(), e.getMessage(), start));
        } catch (IllegalArgumentException e) {
            return refuse(request, error(400, e.getMessage(), start));
        } catch (BodyTooLargeException e) {
            return error(413, e.getMessage(), start).withClose();
        } catch (IOException e) {
            return error(400, "request body could not be read: " + e.getMessage(), start).withClose();
        }
        if (!admitted(match.route())) {
            metrics.rejected();
            Answer busy = error(503, gate.isClosed() ? "server is shutting down" : "server is overloaded, retry later",
                    start).withHeader("Retry-After", "1");
            return body == null && hasBody(method) ? refuse(request, busy) : busy;
        }
        try {
            Answer answer = handleAdmitted(request, match, method, body, start);
            // an upload that failed may have left its body unread
            return match.route() == Route.UPLOAD_SNAPSHOT && answer.status() != 200 ? answer.withClose() : answer;
        } finally {
            if (usesGate(match.route())) {
                gate.leave();
            }
        }
    }

    /** Routes that reveal no data need no key: the health check and the dashboard's static files. */
    private static boolean isPublic(Route route) {
        return route == Route.HEALTHZ || route == Route.DASHBOARD || route == Route.DASHBOARD_FILE;
    }

    private static boolean hasBody(String method) {
        return method.equals("PUT") || method.equals("POST") || method.equals("PATCH");
    }

    /** Cheap service routes skip the slots (they must answer under load) but not shutdown. */
    private static boolean usesGate(Route route) {
        return switch (route) {
            case ROOT, HEALTHZ, METRICS, OPENAPI, DASHBOARD, DASHBOARD_FILE -> false;
            default -> true;
        };
    }

    private boolean admitted(Route route) {
        if (!usesGate(route)) {
            return !gate.isClosed();
        }
        try {
            return gate.tryEnter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Answer handleAdmitted(TransportRequest request, RouteMatch match, String method, byte[] body, long start) {
        RequestTimeout timeout = null;
        try {
            switch (match.route()) {
                case METRICS -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
                    metrics.writeTo(out);
                    return new Answer(200, metrics.contentType(), out.toByteArray(), Map.of(), false);
                }
                case OPENAPI -> {
                    return new Answer(200, JSON, openApi, Map.of(), false);
                }
                case ROOT -> {
                    return new Answer(200, JSON, VERSION_INFO, Map.of(), false);
                }
                case DASHBOARD, DASHBOARD_FILE -> {
                    Dashboard.File file = dashboard.file(match.pointId());
                    return new Answer(200, file.contentType(), file.body(), Map.of("Cache-Control", "no-cache"), false);
                }
                case SNAPSHOTS, SNAPSHOT, COLLECTION_SNAPSHOTS, COLLECTION_SNAPSHOT, RECOVER_SNAPSHOT, UPLOAD_SNAPSHOT -> {
                    if (match.collection() != null) {
                        CollectionNames.requireValid(match.collection());
                    }
                    InputStream in = body != null ? new ByteArrayInputStream(body) : request.body();
                    SnapshotEndpoints.Reply reply = snapshots.handle(match, method, in, request.header("Content-Type"),
                            request.rawQuery());
                    if (reply.file() != null) {
                        return new Answer(200, "application/octet-stream", new byte[0], Map.of("Content-Disposition",
                                "attachment; filename=\"" + reply.file().getFileName() + "\""), false, reply.file());
                    }
                    return ok(reply.result(), start);
                }
                default -> {
                    if (match.collection() != null) {
                        CollectionNames.requireValid(match.collection());
                    }
                    InputStream in = body == null ? InputStream.nullInputStream() : new ByteArrayInputStream(body);
                    timeout = RequestTimeout.of(request.rawQuery(), searchTimeout, start);
                    ResultWriter result = endpoints.handle(match, method, in, timeout);
                    return ok(result, start);
                }
            }
        } catch (HttpError e) {
            return error(e.status(), e.getMessage(), start);
        } catch (JsonProcessingException e) {
            return error(400, "request body is not valid JSON: " + e.getOriginalMessage(), start);
        } catch (CharConversionException e) {
            return error(400, "request body is not valid UTF-8 JSON: " + e.getMessage(), start);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage(), start);
        } catch (NoSuchCollectionException | NoSuchSnapshotException | NoSuchAliasException e) {
            return error(404, e.getMessage(), start);
        } catch (CollectionConflictException e) {
            return error(409, e.getMessage(), start);
        } catch (QueryTimeoutException e) {
            return error(503, timeout.message(), start);
        } catch (ClusterUnavailableException e) {
            LOG.warn("{} {}: {}", method, shorten(request.rawPath()), e.getMessage());
            return error(503, e.getMessage(), start);
        } catch (StorageFullException e) {
            // RocksDB's message names files on the server: it goes to the log, not to the client
            LOG.error("{} {}: {}", method, shorten(request.rawPath()), e.getMessage(), e);
            return error(507, STORAGE_FULL, start);
        } catch (IOException e) {
            return error(400, "request body could not be read: " + e.getMessage(), start);
        } catch (RuntimeException e) {
            LOG.error("bug: {} {} failed", method, shorten(request.rawPath()), e);
            return error(500, "internal error (" + e.getClass().getSimpleName() + "), see the server log", start);
        }
    }

    /** The whole request body, after checking its type; reading past the limit fails. */
    private byte[] jsonBody(TransportRequest request) throws IOException {
        String type = request.header("Content-Type");
        String length = request.header("Content-Length");
        boolean hasBody = request.header("Transfer-Encoding") != null || RequestBody.declaredLength(length) > 0;
        if (type == null ? hasBody : !isJson(type)) {
            // a page can send a body without a type, or as text/plain, cross-origin without a preflight
            throw new HttpError(415, "Content-Type must be application/json, got "
                    + (type == null ? "none" : Json.quote(type)));
        }
        return RequestBody.read(request.body(), length, maxBodyBytes);
    }

    /** application/json or any {@code +json} type, with or without parameters such as charset. */
    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals(JSON) || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    /**
     * An answer to a request refused before its body was read: a small body is read and dropped
     * so the connection serves the next request; a large one is left unread and the connection
     * closes after the answer (a 401 never reads 64 MiB first).
     */
    private static Answer refuse(TransportRequest request, Answer answer) {
        return RequestBody.discard(request.body(), request.header("Content-Length")) ? answer : answer.withClose();
    }

    private Answer ok(ResultWriter result, long start) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024); // a 10-hit answer fits without growing
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("result");
            result.write(g);
            g.writeStringField("status", "ok");
            g.writeNumberField("time", seconds(start));
            g.writeEndObject();
        }
        return new Answer(200, JSON, out.toByteArray(), Map.of(), false);
    }

    private Answer error(int status, String message, long start) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("status");
            g.writeStringField("error", message);
            g.writeEndObject();
            g.writeNumberField("time", seconds(start));
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a byte array cannot fail", e);
        }
        return new Answer(status, JSON, out.toByteArray(), Map.of(), false);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static String shorten(String path) {
        return path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) + "..." : path;
    }

    /** An answer under construction. */
    private record Answer(int status, String contentType, byte[] body, Map<String, String> headers, boolean close,
                          java.nio.file.Path file) {
        Answer(int status, String contentType, byte[] body, Map<String, String> headers, boolean close) {
            this(status, contentType, body, headers, close, null);
        }

        Answer withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, contentType, body, more, close, file);
        }

        Answer withHeaders(Map<String, String> more) {
            if (more.isEmpty()) {
                return this;
            }
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.putAll(more);
            return new Answer(status, contentType, body, all, close, file);
        }

        Answer withClose() {
            return new Answer(status, contentType, body, headers, true, file);
        }

        TransportResponse response() {
            return new TransportResponse(status, contentType, headers, body, close, file);
        }
    }
}
