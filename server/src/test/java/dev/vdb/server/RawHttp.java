package dev.vdb.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Hand-written HTTP/1.1 over a socket, for what {@code HttpClient} cannot do: send a body only
 * in part, lie about its length, or hold a request open. Not thread-safe; one per connection.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttp(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    RawHttp write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Writes {@code bytes} unless the server has closed the connection (it may answer and close
     * before reading the rest of a body it refuses): false when the write found it closed. The
     * answer it sent stays readable.
     */
    boolean writeUnlessClosed(byte[] bytes) throws IOException {
        try {
            write(bytes);
            return true;
        } catch (java.net.SocketException closed) {
            return false;
        }
    }

    /** Request line and headers (with the api key), ending the header block. */
    RawHttp head(String method, String path, String apiKey, String... headers) throws IOException {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        if (apiKey != null) {
            b.append("api-key: ").append(apiKey).append("\r\n");
        }
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return write(b.append("\r\n").toString());
    }

    /** Reads the status line and headers of the answer and returns the status code. */
    int readStatus() throws IOException {
        String statusLine = readHead().lines().findFirst().orElseThrow();
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Reads the status line and headers of the answer, as text. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the answer's headers ended: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Waits (up to the socket timeout) for the server to end the connection without answering:
     * true when it closed or reset it with no byte of an answer, false when bytes arrived.
     */
    boolean closedWithoutAnswer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
