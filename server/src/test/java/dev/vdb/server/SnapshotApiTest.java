package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.VectorDb;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot routes over HTTP, in Qdrant's shapes: create, list (name, creation_time, size,
 * checksum), download (the bytes whose SHA-256 the list gives), delete, recover from a
 * {@code file://} location and from an upload (raw and multipart, with a checksum); a foreign or
 * damaged upload and a non-file location get 400 naming the problem, change nothing, and the
 * server goes on serving; full snapshots likewise.
 */
class SnapshotApiTest {
    @TempDir
    Path dir;
    private VectorDb db;
    private VdbServer server;
    private ApiClient api;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        db = VectorDb.open(dir.resolve("db"));
        server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2));
        base = URI.create("http://127.0.0.1:" + server.address().getPort() + "/");
        api = new ApiClient(base, null);
        ok(api.send("PUT", "collections/docs", "{\"vectors\":{\"size\":2,\"distance\":\"Euclid\"}}"));
        ok(api.send("PUT", "collections/docs/points", "{\"points\":[{\"id\":1,\"vector\":[1,0],\"payload\":{\"a\":1}},"
                + "{\"id\":2,\"vector\":[0,1],\"text\":\"shock waves\"}]}"));
    }

    @AfterEach
    void stop() {
        server.stop(VdbServer.DEFAULT_GRACE);
        db.close();
    }

    private static ApiClient.Reply ok(ApiClient.Reply r) {
        assertEquals(200, r.status(), r.body());
        return r;
    }

    private long count(String collection) throws Exception {
        return ok(api.send("POST", "collections/" + collection + "/points/count", "{}")).result().get("count").asLong();
    }

    private HttpResponse<byte[]> download(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void collectionSnapshotsAreCreatedListedDownloadedRecoveredAndDeleted() throws Exception {
        JsonNode created = ok(api.send("POST", "collections/docs/snapshots", null)).result();
        String name = created.get("name").asText();
        assertTrue(name.startsWith("docs-") && name.endsWith(".snapshot"), name);
        assertTrue(created.get("creation_time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"), created.toString());
        assertEquals(created, ok(api.send("GET", "collections/docs/snapshots", null)).result().get(0));

        HttpResponse<byte[]> file = download("collections/docs/snapshots/" + name);
        assertEquals(200, file.statusCode());
        assertEquals("application/octet-stream", file.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(created.get("size").asLong(), file.body().length);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.body()));
        assertEquals(created.get("checksum").asText(), sha256);

        ok(api.send("PUT", "collections/docs/points", "{\"points\":[{\"id\":3,\"vector\":[1,1]}]}"));
        assertEquals(3, count("docs"));
        Path onServer = db.snapshots().file("docs", name);
        ok(api.send("PUT", "collections/docs/snapshots/recover", "{\"location\":" + ApiClient.json(onServer.toUri().toString())
                + ",\"checksum\":\"" + sha256 + "\"}"));
        assertEquals(2, count("docs"));

        ok(api.send("POST", "collections/raw/snapshots/upload?checksum=" + sha256, file.body(), "application/octet-stream", null));
        assertEquals(2, count("raw"));
        ok(api.send("POST", "collections/multi/snapshots/upload", multipart("snapshot", file.body()),
                "multipart/form-data; boundary=" + BOUNDARY, null));
        assertEquals(2, count("multi"));
        JsonNode point = ok(api.send("GET", "collections/multi/points/1", null)).result();
        assertEquals(1, point.get("payload").get("a").asInt());

        ok(api.send("DELETE", "collections/docs/snapshots/" + name, null));
        assertEquals(404, api.send("DELETE", "collections/docs/snapshots/" + name, null).status());
        assertEquals(404, download("collections/docs/snapshots/" + name).statusCode());
        assertEquals(0, ok(api.send("GET", "collections/docs/snapshots", null)).result().size());
    }

    @Test
    void foreignOrDamagedFilesAndOtherLocationsAreRefusedAndChangeNothing() throws Exception {
        String name = ok(api.send("POST", "collections/docs/snapshots", null)).result().get("name").asText();
        byte[] bytes = download("collections/docs/snapshots/" + name).body();
        ok(api.send("PUT", "collections/docs/points", "{\"points\":[{\"id\":3,\"vector\":[1,1]}]}"));

        ApiClient.Reply foreign = api.send("POST", "collections/docs/snapshots/upload",
                "<html>not a snapshot</html>".getBytes(StandardCharsets.UTF_8), "application/octet-stream", null);
        assertEquals(400, foreign.status(), foreign.body());
        assertTrue(foreign.error().contains("not a vdb snapshot"), foreign.error());
        byte[] damaged = bytes.clone();
        damaged[damaged.length / 2] ^= 1;
        ApiClient.Reply bad = api.send("POST", "collections/docs/snapshots/upload", multipart("snapshot", damaged),
                "multipart/form-data; boundary=" + BOUNDARY, null);
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.error().contains("damaged") || bad.error().contains("checksum"), bad.error());
        ApiClient.Reply wrongSum = api.send("POST", "collections/docs/snapshots/upload?checksum=" + "ab".repeat(32), bytes,
                "application/octet-stream", null);
        assertEquals(400, wrongSum.status());
        assertTrue(wrongSum.error().contains("SHA-256"), wrongSum.error());
        ApiClient.Reply noField = api.send("POST", "collections/docs/snapshots/upload", multipart("file", bytes),
                "multipart/form-data; boundary=" + BOUNDARY, null);
        assertEquals(400, noField.status());
        assertTrue(noField.error().contains("no field"), noField.error());
        ApiClient.Reply http = api.send("PUT", "collections/docs/snapshots/recover",
                "{\"location\":\"http://example.com/x.snapshot\"}");
        assertEquals(400, http.status());
        assertTrue(http.error().contains("location must be a file:// URI"), http.error());
        ApiClient.Reply missing = api.send("PUT", "collections/docs/snapshots/recover", "{\"location\":\"file:///no/such.snapshot\"}");
        assertEquals(400, missing.status());
        assertEquals(400, api.send("PUT", "collections/docs/snapshots/recover", "{\"where\":1}").status());
        assertEquals(404, download("collections/docs/snapshots/nothing.snapshot").statusCode());
        assertEquals(400, download("collections/docs/snapshots/..%2F..%2Frocksdb%2FCURRENT").statusCode());

        assertEquals(3, count("docs")); // unchanged, still serving
        assertEquals(1, ok(api.send("GET", "collections", null)).result().get("collections").size());
    }

    @Test
    void fullSnapshotsAreCreatedListedDownloadedAndDeleted() throws Exception {
        JsonNode created = ok(api.send("POST", "snapshots", null)).result();
        String name = created.get("name").asText();
        assertTrue(name.startsWith("full-snapshot-"), name);
        assertEquals(created, ok(api.send("GET", "snapshots", null)).result().get(0));
        byte[] file = download("snapshots/" + name).body();
        assertEquals(created.get("checksum").asText(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        ok(api.send("DELETE", "snapshots/" + name, null));
        assertEquals(0, ok(api.send("GET", "snapshots", null)).result().size());
        ApiClient.Reply asCollection = api.send("POST", "collections/docs/snapshots/upload", file, "application/octet-stream", null);
        assertEquals(400, asCollection.status());
        assertTrue(asCollection.error().contains("full snapshot"), asCollection.error());
    }

    private static final String BOUNDARY = "----vdbBoundary7MA4YWxkTrZu0gW";

    /** A multipart/form-data body with a text field first and the file as {@code field}. */
    private static byte[] multipart(String field, byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"x.snapshot\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(content);
        out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
