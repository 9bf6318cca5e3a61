package dev.vdb.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body whole, before the request takes a slot, so a client that trickles its
 * body holds a connection but never a slot; and discards a refused request's body when it is
 * small enough to keep the connection. Stateless and thread-safe.
 */
final class RequestBody {
    /** A refused request's body up to this size is read and dropped so the connection stays open. */
    static final int MAX_DISCARDED_BYTES = 64 * 1024;
    private static final int INITIAL_BUFFER = 256 * 1024;
    /** Bodies declared this long or shorter are read into one array of their length. */
    private static final int EXACT_READ_MAX = 64 * 1024;

    private RequestBody() {}

    /**
     * The whole body; {@link BodyTooLargeException} as soon as it exceeds {@code maxBytes}
     * (before reading anything when {@code declaredLength} already does).
     *
     * @param declaredLength the Content-Length header, or null
     */
    static byte[] read(InputStream body, String declaredLength, long maxBytes) throws IOException {
        long declared = declaredLength(declaredLength);
        if (declared > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
        // grows as bytes arrive: a declared length alone must not reserve memory
        int initial = (int) Math.min(Math.max(declared, 1024), INITIAL_BUFFER);
        ByteArrayOutputStream out;
        if (declared < 0 || declared > EXACT_READ_MAX) {
            out = new ByteArrayOutputStream(initial);
        } else {
            // the common small body: read straight into an array of its declared length
            byte[] exact = body.readNBytes((int) declared);
            int more = exact.length < declared ? -1 : body.read();
            if (more < 0) {
                return exact; // a body cut short fails in the transport, as it does below
            }
            // longer than declared (a chunked body may carry a Content-Length too): read on
            out = new ByteArrayOutputStream(initial);
            out.write(exact);
            out.write(more);
        }
        byte[] buffer = new byte[8192];
        long total = out.size();
        if (total > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
        for (int n; (n = body.read(buffer)) >= 0; ) {
            total += n;
            if (total > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The Content-Length header's value, -1 when absent; 400 when it is not a number. */
    static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Content-Length must be a non-negative number, got " + Json.quote(header));
        }
    }

    /**
     * Reads and drops a refused request's body when it is at most {@link #MAX_DISCARDED_BYTES};
     * false when it is larger or unreadable: then the connection must close after the answer.
     */
    static boolean discard(InputStream body, String declaredLength) {
        long declared;
        try {
            declared = declaredLength(declaredLength);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (declared > MAX_DISCARDED_BYTES) {
            return false;
        }
        if (declared == 0) {
            return true;
        }
        byte[] buffer = new byte[8192];
        long drained = 0;
        try {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                drained += n;
                if (drained > MAX_DISCARDED_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
