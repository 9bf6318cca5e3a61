package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void readsTheWholeBodyWhateverItsDeclaredLength() throws IOException {
        for (int n : new int[] {0, 1, 1000, 64 * 1024, 64 * 1024 + 1, 300_000}) {
            byte[] body = bytes(n);
            assertArrayEquals(body, RequestBody.read(new ByteArrayInputStream(body), Integer.toString(n), 1 << 20),
                    "declared " + n);
            assertArrayEquals(body, RequestBody.read(new ByteArrayInputStream(body), null, 1 << 20), "undeclared " + n);
        }
    }

    @Test
    void aBodyLongerThanDeclaredIsReadWholeNotCut() throws IOException {
        byte[] body = bytes(5000);
        assertArrayEquals(body, RequestBody.read(new ByteArrayInputStream(body), "10", 1 << 20));
    }

    @Test
    void aBodyPastTheLimitIsRefusedDeclaredOrNot() {
        byte[] body = bytes(2000);
        assertThrows(BodyTooLargeException.class,
                () -> RequestBody.read(new ByteArrayInputStream(body), "2000", 1000));
        assertThrows(BodyTooLargeException.class,
                () -> RequestBody.read(new ByteArrayInputStream(body), "100", 1000));
        assertThrows(BodyTooLargeException.class,
                () -> RequestBody.read(new ByteArrayInputStream(body), null, 1000));
    }
}
