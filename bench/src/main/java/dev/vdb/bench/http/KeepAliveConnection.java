package dev.vdb.bench.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One persistent HTTP/1.1 connection that sends prepared requests and reads answers with a
 * {@code Content-Length}, as a lean load generator does (like wrk): no per-request objects
 * beyond the answer body, so the client's own CPU cost stays small next to the server's. Only
 * for the load tool against our server; reconnects after an error or {@code Connection: close}.
 * Not thread-safe: one per client thread.
 */
final class KeepAliveConnection implements AutoCloseable {
    private final InetSocketAddress address;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private byte[] body = new byte[16 * 1024];

    KeepAliveConnection(InetSocketAddress address) {
        this.address = address;
    }

    /** The bytes of a request with a JSON body, ready to send as often as needed. */
    static byte[] request(String method, String path, byte[] jsonBody) {
        byte[] head = (method + " " + path + " HTTP/1.1\r\nHost: " + "localhost" + "\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + jsonBody.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + jsonBody.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(jsonBody, 0, request, head.length, jsonBody.length);
        return request;
    }

    /** Sends a prepared request and reads the whole answer; its status, or -1 when the connection failed. */
    int send(byte[] request) {
        try {
            if (socket == null) {
                socket = new Socket(address.getAddress(), address.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            }
            out.write(request);
            out.flush();
            return readAnswer();
        } catch (IOException e) {
            close();
            return -1;
        }
    }

    private int readAnswer() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean close = false;
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Connection") && header.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                close = true;
            }
        }
        if (length < 0) {
            throw new IOException("answer without Content-Length: " + statusLine);
        }
        if (body.length < length) {
            body = new byte[length];
        }
        int read = in.readNBytes(body, 0, length);
        if (read < length) {
            throw new IOException("connection closed inside an answer's body");
        }
        if (close) {
            close();
        }
        return status;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed inside an answer's head");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection: nothing left to do
            }
            socket = null;
        }
    }
}
