package dev.vdb.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body and fails with {@link BodyTooLargeException} as soon as more than the
 * limit has arrived, so an oversized chunked body is never read whole. Closing it does not close
 * the body. Not thread-safe: one
 * request reads it.
 */
final class LimitedInputStream extends FilterInputStream {
    private final long maxBytes;
    private long read;

    LimitedInputStream(InputStream in, long maxBytes) {
        super(in);
        this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    /**
     * Leaves the request body open: the exchange owns it and drains what a refused request left
     * unread before answering, so that closing it early (a JSON parser closes its source) cannot
     * drop the connection with the client still sending.
     */
    @Override
    public void close() {
    }

    private void count(long n) throws BodyTooLargeException {
        read += n;
        if (read > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
    }
}
