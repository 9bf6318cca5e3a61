package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdb.server.transport.TransportKind;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Slow or greedy clients against a server process with 2 request slots (issue 14, item 4), on
 * each transport ({@code --transport}): clients that stall their bodies hold connections, never
 * slots, so everyone else is still served, and the server closes their connections once the read
 * timeout passed; a head trickled byte by byte is cut off too; connections beyond the cap are
 * closed unanswered while the others keep working; a request refused for its key is answered at
 * once, without waiting for the 64 MiB body it announced.
 */
class SlowClientTest {
    private static final String KEY = "slow-test-key";

    @TempDir
    Path dir;

    private ServerProcess start(TransportKind transport, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--threads", "2", "--api-key", KEY, "--transport", transport.cliName()));
        all.addAll(List.of(args));
        return ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"), List.of(), all);
    }

    private static void createCollection(ApiClient api) throws Exception {
        assertEquals(200, api.send("PUT", "collections/slow", "{\"vectors\":{\"size\":4,\"distance\":\"Dot\"}}").status());
        assertEquals(200, api.send("PUT", "collections/slow/points", TestPoints.upsertBody(0, 10, 4)).status());
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void trickledBodiesTakeNoSlotAndAreCutOffAfterTheReadTimeout(TransportKind transport) throws Exception {
        try (ServerProcess server = start(transport, "--read-timeout", "1")) {
            ApiClient api = new ApiClient(server.uri(), KEY);
            createCollection(api);
            List<RawHttp> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) { // three times the slots
                    RawHttp raw = new RawHttp(server.address());
                    slow.add(raw);
                    raw.head("PUT", "/collections/slow/points", KEY, "Content-Type: application/json",
                            "Content-Length: 1000").write("{\"points\":[{\"id\":" + (100 + i) + ",");
                }
                // a client of its own: the first one's pooled connection may have idled past the 1 s
                // read timeout while the trickling connections opened (on a loaded machine), and the
                // server closing it then is not what this test is about
                ApiClient counting = new ApiClient(server.uri(), KEY);
                for (int i = 0; i < 20; i++) {
                    ApiClient.Reply r = counting.send("POST", "collections/slow/points/count", "{}");
                    assertEquals(200, r.status(), "request " + i + " while 6 bodies trickle: " + r.body());
                }
                for (RawHttp raw : slow) {
                    assertTrue(raw.closedWithoutAnswer(), "the server ends a connection whose body never completes");
                }
            } finally {
                for (RawHttp raw : slow) {
                    raw.close();
                }
            }
            ApiClient fresh = new ApiClient(server.uri(), KEY); // the first client's pooled connection idled out
            assertEquals(10, fresh.send("POST", "collections/slow/points/count", "{}").result().get("count").asLong(),
                    "no trickled point was written");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aHeadTrickledByteByByteIsCutOffAfterTheReadTimeout(TransportKind transport) throws Exception {
        try (ServerProcess server = start(transport, "--read-timeout", "1")) {
            byte[] head = ("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "x".repeat(100) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try (RawHttp raw = new RawHttp(server.address())) {
                boolean cut = false;
                for (int i = 0; i < head.length && !cut; i++) { // 100 ms a byte: 13 s for the whole head
                    try {
                        raw.write(new byte[] {head[i]});
                        Thread.sleep(100);
                    } catch (SocketException closedByTheServer) {
                        cut = true;
                    }
                }
                assertTrue(cut || raw.closedWithoutAnswer(), "the server ends a connection whose head never completes");
                assertTrue(cut, "cut off before the head was complete, though every byte came within the timeout");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void connectionsBeyondTheCapAreClosedAndTheOthersServed(TransportKind transport) throws Exception {
        try (ServerProcess server = start(transport, "--max-connections", "4")) {
            List<RawHttp> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) { // complete keep-alive requests: the server knows these connections
                    RawHttp raw = new RawHttp(server.address());
                    held.add(raw);
                    raw.head("GET", "/healthz", null);
                    assertEquals(200, raw.readStatus());
                }
                try (RawHttp extra = new RawHttp(server.address())) {
                    extra.head("GET", "/healthz", null);
                    assertTrue(extra.closedWithoutAnswer(), "a fifth connection is closed unanswered");
                }
                for (RawHttp raw : held) { // the held connections still work
                    raw.head("GET", "/healthz", null);
                    assertEquals(200, raw.readStatus());
                }
            } finally {
                for (RawHttp raw : held) {
                    raw.close();
                }
            }
            ApiClient api = new ApiClient(server.uri(), KEY);
            ApiClient.Reply after = null;
            for (int attempt = 0; attempt < 100 && (after == null || after.status() != 200); attempt++) {
                try {
                    after = api.send("GET", "collections", null);
                } catch (java.io.IOException closedWhileTheServerStillCountsTheOldOnes) {
                    Thread.sleep(50);
                }
            }
            assertEquals(200, after.status(), "served again once connections were closed");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void aWrongKeyIsAnsweredWithoutReadingTheBody(TransportKind transport) throws Exception {
        try (ServerProcess server = start(transport)) {
            try (RawHttp raw = new RawHttp(server.address())) {
                raw.head("PUT", "/collections/slow/points", "wrong-key", "Content-Type: application/json",
                        "Content-Length: " + (64L << 20)).write("{\"points\":[");
                assertEquals(401, raw.readStatus(), "answered before the body, which never comes");
            }
        }
    }
}
