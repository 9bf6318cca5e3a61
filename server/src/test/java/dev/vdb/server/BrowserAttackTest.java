package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.vdb.engine.VectorDb;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web pages attacking a keyless server on localhost (issue 14, item 5): the forged requests a
 * page can send without the user's consent (a body without type or as text/plain, a cross-origin
 * JSON request, a DNS-rebound Host) are refused and delete nothing; a page from an origin the
 * server allows does get through, with CORS headers. Checked with hand-written requests and with
 * a real headless Chromium that loads an attacker's page from another origin.
 */
class BrowserAttackTest {
    private static final String DELETE_ALL = "{\"filter\":{}}";

    @TempDir
    Path dir;

    private static VdbServer serve(VectorDb db, List<String> corsOrigins) throws Exception {
        VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2)
                .withBrowserAccess(corsOrigins, List.of()));
        ApiClient api = client(server);
        assertEquals(200, api.send("PUT", "collections/victim", "{\"vectors\":{\"size\":4,\"distance\":\"Dot\"}}").status());
        assertEquals(200, api.send("PUT", "collections/victim/points", TestPoints.upsertBody(0, 20, 4)).status());
        return server;
    }

    private static ApiClient client(VdbServer server) {
        return new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort() + "/"), null);
    }

    private static long count(VdbServer server) throws Exception {
        return client(server).send("POST", "collections/victim/points/count", "{}").result().get("count").asLong();
    }

    /** Sends a delete-everything request with the given extra header lines; returns the status. */
    private static int forge(VdbServer server, String host, String... headers) throws Exception {
        try (RawHttp raw = new RawHttp(server.address())) {
            StringBuilder b = new StringBuilder("POST /collections/victim/points/delete HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                b.append(h).append("\r\n");
            }
            b.append("Content-Length: ").append(DELETE_ALL.length()).append("\r\n\r\n").append(DELETE_ALL);
            raw.write(b.toString());
            return raw.readStatus();
        }
    }

    @Test
    void forgedRequestsAreRefusedAndDeleteNothing() throws Exception {
        try (VectorDb db = VectorDb.open(dir.resolve("db"))) {
            VdbServer server = serve(db, List.of());
            try {
                String own = "127.0.0.1:" + server.address().getPort();
                assertEquals(415, forge(server, own), "a body without Content-Type");
                assertEquals(415, forge(server, own, "Content-Type: text/plain"), "a text/plain body (no preflight)");
                assertEquals(403, forge(server, own, "Content-Type: application/json", "Origin: http://evil.example"),
                        "a cross-origin JSON request");
                assertEquals(403, forge(server, "evil.example:" + server.address().getPort(),
                        "Content-Type: application/json"), "a DNS-rebound page: its own name as Host");
                assertEquals(403, forge(server, "evil.example:" + server.address().getPort(),
                        "Content-Type: application/json", "Origin: http://evil.example:" + server.address().getPort()),
                        "a DNS-rebound page naming its origin");
                try (RawHttp raw = new RawHttp(server.address())) {
                    raw.write("OPTIONS /collections/victim/points/delete HTTP/1.1\r\nHost: " + own + "\r\nOrigin: "
                            + "http://evil.example\r\nAccess-Control-Request-Method: POST\r\n\r\n");
                    assertEquals(403, raw.readStatus(), "no preflight for a foreign origin");
                }
                assertEquals(20, count(server), "nothing deleted");
                // the server's own pages (same origin) and localhost names pass
                assertEquals(200, forge(server, own, "Content-Type: application/json", "Origin: http://" + own));
                assertEquals(0, count(server));
            } finally {
                server.stop(VdbServer.DEFAULT_GRACE);
            }
        }
    }

    @Test
    void anAllowedOriginGetsItsPreflightAndCorsHeaders() throws Exception {
        try (VectorDb db = VectorDb.open(dir.resolve("db"))) {
            VdbServer server = serve(db, List.of("http://app.example"));
            try {
                try (RawHttp raw = new RawHttp(server.address())) {
                    raw.write("OPTIONS /collections/victim/points/count HTTP/1.1\r\nHost: localhost\r\nOrigin: "
                            + "http://app.example\r\nAccess-Control-Request-Method: POST\r\n"
                            + "Access-Control-Request-Headers: content-type, api-key\r\n\r\n");
                    String head = raw.readHead().toLowerCase(Locale.ROOT); // header names are case-insensitive
                    assertTrue(head.startsWith("http/1.1 204"), head);
                    assertTrue(head.contains("access-control-allow-origin: http://app.example"), head);
                    assertTrue(head.contains("access-control-allow-headers: content-type, api-key, authorization"), head);
                }
                try (RawHttp raw = new RawHttp(server.address())) {
                    raw.write("POST /collections/victim/points/count HTTP/1.1\r\nHost: localhost\r\nOrigin: "
                            + "http://app.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
                    String head = raw.readHead().toLowerCase(Locale.ROOT);
                    assertTrue(head.startsWith("http/1.1 200"), head);
                    assertTrue(head.contains("access-control-allow-origin: http://app.example"), head);
                }
            } finally {
                server.stop(VdbServer.DEFAULT_GRACE);
            }
        }
    }

    /**
     * An attacker's page on another origin (another port of 127.0.0.1) tries the three forgeries
     * against two servers: ours with default settings, and a control server that allows the
     * attacker's origin. The control must lose its points (so the browser did reach the servers);
     * ours must keep every one.
     */
    @Test
    void aRealBrowserPageCannotEmptyTheCollection() throws Exception {
        Path chromium = Chromium.require();
        try (VectorDb db = VectorDb.open(dir.resolve("db")); VectorDb controlDb = VectorDb.open(dir.resolve("control"))) {
            CompletableFuture<String> report = new CompletableFuture<>();
            HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            String attackerOrigin = "http://127.0.0.1:" + attacker.getAddress().getPort();
            attacker.createContext("/", exchange -> {
                byte[] page;
                if (exchange.getRequestURI().getPath().equals("/done")) {
                    report.complete(URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
                    page = new byte[0];
                } else {
                    page = ATTACK_PAGE.getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().set("Content-Type", "text/html");
                exchange.sendResponseHeaders(200, page.length == 0 ? -1 : page.length);
                exchange.getResponseBody().write(page);
                exchange.close();
            });
            attacker.start();
            VdbServer victim = serve(db, List.of());
            VdbServer control = serve(controlDb, List.of(attackerOrigin));
            try (Chromium browser = Chromium.open(chromium, attackerOrigin + "/attack.html?victim=http://localhost:"
                    + victim.address().getPort() + "&control=http://localhost:" + control.address().getPort(), dir)) {
                String outcome = report.get(60, TimeUnit.SECONDS);
                assertEquals(0, count(control), "the control server, which allows the page's origin, was emptied: "
                        + outcome);
                assertEquals(20, count(victim), "our server kept every point: " + outcome);
                assertTrue(outcome.contains("victim: blob:opaque text:opaque json:blocked"), outcome);
            } finally {
                attacker.stop(0);
                victim.stop(VdbServer.DEFAULT_GRACE);
                control.stop(VdbServer.DEFAULT_GRACE);
            }
        }
    }

    /** Three forgeries per target, in order; the outcome goes back to the attacker's server. */
    private static final String ATTACK_PAGE = """
            <!doctype html><html><body><pre id="log"></pre><script>
            const params = new URLSearchParams(location.search);
            const body = '{"filter":{}}';
            async function attack(name) {
              const url = params.get(name) + '/collections/victim/points/delete';
              const out = [];
              // 1: a body without type, sent blind (no CORS, no preflight)
              try { const r = await fetch(url, {method: 'POST', mode: 'no-cors', body: new Blob([body])});
                    out.push('blob:' + r.type); } catch (e) { out.push('blob:error'); }
              // 2: text/plain, also a "simple" request without preflight
              try { const r = await fetch(url, {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'},
                    body}); out.push('text:' + r.type); } catch (e) { out.push('text:error'); }
              // 3: JSON, which needs the server's consent in a preflight
              try { const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body});
                    out.push('json:' + r.status); } catch (e) { out.push('json:blocked'); }
              return name + ': ' + out.join(' ');
            }
            (async () => {
              const lines = [await attack('victim'), await attack('control')];
              document.getElementById('log').textContent = lines.join('\\n');
              await fetch('/done?' + encodeURIComponent(lines.join('; ')));
            })();
            </script></body></html>
            """;
}
