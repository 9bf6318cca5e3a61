package dev.vdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vdb.cluster.ClusterUnavailableException;
import dev.vdb.engine.CollectionConflictException;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.StorageFullException;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler behind every path: authenticates, routes, admits through the
 * {@link RequestGate}, enforces the body limit and content type, calls the {@link Endpoints}
 * and answers in the contract's envelope ({@code {"result":..,"status":"ok","time":s}} or
 * {@code {"status":{"error":".."},"time":s}}). Bad input of any kind maps to a 4xx; a 500 means
 * a bug and is logged with its stack trace. Writes one access-log line per request.
 * Thread-safe; each request buffers its answer in one byte array before sending it.
 */
final class ApiHandler implements HttpHandler {
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.vdb.server.access");
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON = "application/json";
    private static final int MAX_LOGGED_PATH = 200;

    private final ObjectMapper mapper;
    private final Endpoints endpoints;
    private final ServerMetrics metrics;
    private final RequestGate gate;
    private final ApiKeyCheck apiKey;
    private final long maxBodyBytes;
    private final byte[] openApi;

    /** @param apiKey null when no key is required */
    ApiHandler(ObjectMapper mapper, Endpoints endpoints, ServerMetrics metrics, RequestGate gate,
               ApiKeyCheck apiKey, long maxBodyBytes, byte[] openApi) {
        this.mapper = mapper;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.gate = gate;
        this.apiKey = apiKey;
        this.maxBodyBytes = maxBodyBytes;
        this.openApi = openApi;
    }

    /** A finished answer, ready to send. */
    private record Answer(int status, String contentType, byte[] body) {}

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        Route route = null;
        Answer answer;
        try {
            RouteMatch match = RouteMatch.of(rawPath);
            if (match != null) {
                route = match.route();
            }
            answer = answer(exchange, match, method, start);
        } catch (IllegalArgumentException e) {
            // a path that is not even valid percent-encoding
            answer = error(400, e.getMessage(), start);
        } catch (RuntimeException | Error e) {
            // escaping here, it would make the HTTP server drop the connection without an answer
            LOG.error("bug: {} {} failed outside the endpoints", method, shorten(rawPath), e);
            answer = error(500, "internal error (" + e.getClass().getSimpleName() + "), see the server log", start);
        }
        send(exchange, answer);
        long nanos = System.nanoTime() - start;
        metrics.request(route, method, answer.status(), nanos);
        ACCESS.info("{} {} {} {} {}B {}us", exchange.getRemoteAddress(), method, shorten(rawPath),
                answer.status(), answer.body().length, nanos / 1000);
    }

    private Answer answer(HttpExchange exchange, RouteMatch match, String method, long start) {
        if (apiKey != null && (match == null || match.route() != Route.HEALTHZ)
                && !apiKey.accepts(exchange.getRequestHeaders().getFirst(ApiKeyCheck.HEADER))) {
            return error(401, "missing or wrong api-key header", start);
        }
        if (match == null) {
            return error(404, "no route for " + Json.quote(exchange.getRequestURI().getRawPath()), start);
        }
        if (!match.route().allows(method)) {
            exchange.getResponseHeaders().set("Allow", match.route().allowHeader());
            return error(405, "method " + Json.quote(method) + " is not allowed on " + match.route().template()
                    + ", allowed: " + match.route().allowHeader(), start);
        }
        if (!admitted(match.route())) {
            metrics.rejected();
            exchange.getResponseHeaders().set("Retry-After", "1");
            return error(503, gate.isClosed() ? "server is shutting down" : "server is overloaded, retry later", start);
        }
        try {
            return handleAdmitted(exchange, match, method, start);
        } finally {
            if (usesGate(match.route())) {
                gate.leave();
            }
        }
    }

    /** Cheap service routes skip the slots (they must answer under load) but not shutdown. */
    private static boolean usesGate(Route route) {
        return route != Route.HEALTHZ && route != Route.METRICS && route != Route.OPENAPI;
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

    private Answer handleAdmitted(HttpExchange exchange, RouteMatch match, String method, long start) {
        try {
            switch (match.route()) {
                case METRICS -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
                    metrics.writeTo(out);
                    return new Answer(200, metrics.contentType(), out.toByteArray());
                }
                case OPENAPI -> {
                    return new Answer(200, JSON, openApi);
                }
                default -> {
                    if (match.collection() != null) {
                        CollectionNames.requireValid(match.collection());
                    }
                    InputStream body = method.equals("PUT") || method.equals("POST") ? jsonBody(exchange)
                            : InputStream.nullInputStream();
                    ResultWriter result = endpoints.handle(match, method, body);
                    return ok(result, start);
                }
            }
        } catch (HttpError e) {
            return error(e.status(), e.getMessage(), start);
        } catch (BodyTooLargeException e) {
            return error(413, e.getMessage(), start);
        } catch (JsonProcessingException e) {
            return error(400, "request body is not valid JSON: " + e.getOriginalMessage(), start);
        } catch (CharConversionException e) {
            return error(400, "request body is not valid UTF-8 JSON: " + e.getMessage(), start);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage(), start);
        } catch (NoSuchCollectionException e) {
            return error(404, e.getMessage(), start);
        } catch (CollectionConflictException e) {
            return error(409, e.getMessage(), start);
        } catch (ClusterUnavailableException e) {
            LOG.warn("{} {}: {}", method, shorten(exchange.getRequestURI().getRawPath()), e.getMessage());
            return error(503, e.getMessage(), start);
        } catch (StorageFullException e) {
            LOG.error("{} {}: {}", method, shorten(exchange.getRequestURI().getRawPath()), e.getMessage());
            return error(507, e.getMessage(), start);
        } catch (IOException e) {
            return error(400, "request body could not be read: " + e.getMessage(), start);
        } catch (RuntimeException e) {
            LOG.error("bug: {} {} failed", method, shorten(exchange.getRequestURI().getRawPath()), e);
            return error(500, "internal error (" + e.getClass().getSimpleName() + "), see the server log", start);
        }
    }

    /** The request body, after checking its type and declared length; reading past the limit fails. */
    private InputStream jsonBody(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && !isJson(type)) {
            throw new HttpError(415, "Content-Type must be application/json, got " + Json.quote(type));
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length must be a number, got " + Json.quote(length));
            }
            if (declared > maxBodyBytes) {
                throw new BodyTooLargeException(maxBodyBytes);
            }
        }
        return new LimitedInputStream(exchange.getRequestBody(), maxBodyBytes);
    }

    /** application/json or any {@code +json} type, with or without parameters such as charset. */
    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals(JSON) || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
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
        return new Answer(200, JSON, out.toByteArray());
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
        return new Answer(status, JSON, out.toByteArray());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private void send(HttpExchange exchange, Answer answer) {
        try (exchange) {
            if (answer.status() >= 400 && !drainRequestBody(exchange, answer.status())) {
                // the server will drop this connection: say so, or a client may reuse it and lose a request
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (IOException e) {
            LOG.debug("could not send the answer (client gone?): {}", e.toString());
        }
    }

    /**
     * Reads what is left of a refused request's body, up to the body limit, so the connection can
     * serve the next request and the client, still sending, is not reset before it reads the
     * answer. False when the body is over the limit (413): then the connection must close.
     */
    private boolean drainRequestBody(HttpExchange exchange, int status) {
        if (status == 413) {
            return false;
        }
        byte[] buffer = new byte[8192];
        long drained = 0;
        try {
            InputStream body = exchange.getRequestBody();
            for (int n; (n = body.read(buffer)) >= 0; ) {
                drained += n;
                if (drained > maxBodyBytes) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String shorten(String path) {
        return path.length() > MAX_LOGGED_PATH ? path.substring(0, MAX_LOGGED_PATH) + "..." : path;
    }
}
