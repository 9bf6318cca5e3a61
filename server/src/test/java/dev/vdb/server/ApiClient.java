package dev.vdb.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small JSON client over {@link HttpClient} for the tests. Thread-safe. */
final class ApiClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String apiKey;

    ApiClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** An answer: status, headers, the raw body and its JSON (null when it is not JSON). */
    record Reply(int status, HttpHeaders headers, String body, JsonNode json) {
        JsonNode result() {
            return json.get("result");
        }

        String error() {
            JsonNode status = json == null ? null : json.get("status");
            return status != null && status.has("error") ? status.get("error").asText() : null;
        }
    }

    Reply send(String method, String path, String jsonBody) throws IOException, InterruptedException {
        return send(method, path, jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8),
                "application/json", apiKey);
    }

    Reply send(String method, String path, byte[] body, String contentType, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null && body != null) {
            b.header("Content-Type", contentType);
        }
        if (key != null) {
            b.header("api-key", key);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = MAPPER.readTree(r.body());
        } catch (IOException notJson) {
            json = null;
        }
        return new Reply(r.statusCode(), r.headers(), r.body(), json);
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
