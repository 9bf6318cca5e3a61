package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vdb.engine.VectorDb;
import dev.vdb.server.transport.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTPS with {@code --tls-cert}/{@code --tls-key}, on each transport: a client that trusts the
 * certificate gets its answers (the API key travels encrypted), a client that does not trust it
 * is refused in the handshake, and plain HTTP to the TLS port gets no answer.
 */
class TlsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void servesHttpsWithThePemCertificateAndKey(TransportKind transport) throws Exception {
        Path cert = copy("cert.pem");
        Path key = copy("key.pem");
        try (VectorDb db = VectorDb.open(dir.resolve("db"))) {
            VdbServer server = VdbServer.start(db, new ServerOptions("127.0.0.1", 0, "tls-key-1", 1 << 20, 2)
                    .withTls(cert, key).withTransport(transport));
            try {
                assertEquals("https", server.scheme());
                URI uri = URI.create("https://localhost:" + server.address().getPort() + "/collections");
                HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert)).build();
                HttpResponse<String> ok = trusting.send(HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer tls-key-1").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode(), ok.body());
                HttpResponse<String> noKey = trusting.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, noKey.statusCode(), noKey.body());

                HttpClient strict = HttpClient.newHttpClient();
                assertThrows(IOException.class, () -> strict.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString()), "an untrusted certificate fails the handshake");
                try (RawHttp plain = new RawHttp(server.address())) {
                    plain.head("GET", "/collections", "tls-key-1");
                    assertThrows(IOException.class, plain::readStatus, "plain HTTP gets no HTTP answer");
                }
            } finally {
                server.stop(VdbServer.DEFAULT_GRACE);
            }
        }
    }

    @Test
    void aKeyWithoutCertificateIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2).withTls(null, dir.resolve("key.pem")));
        assertEquals("tls-cert and tls-key go together, got only tls-key", e.getMessage());
        assertEquals(List.of(), new ServerOptions("127.0.0.1", 0, null, 1 << 20, 2).corsOrigins());
    }

    private Path copy(String resource) throws IOException {
        Path target = dir.resolve(resource);
        try (InputStream in = TlsTest.class.getResourceAsStream("/tls/" + resource)) {
            Files.copy(in, target);
        }
        return target;
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
