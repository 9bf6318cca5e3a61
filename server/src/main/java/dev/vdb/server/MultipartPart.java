package dev.vdb.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One named field of a {@code multipart/form-data} body, streamed (RFC 7578): skips the parts
 * before it and yields its bytes up to the next boundary, so an uploaded file never has to fit
 * in memory. Malformed bodies fail with an {@link IllegalArgumentException} (400) or an
 * {@link EOFException} when the body ends early.
 *
 * <p>Not thread-safe: one request, one thread. Reads byte by byte through a small pushback buffer.
 */
final class MultipartPart extends InputStream {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|[^;\\s]+)");
    private static final Pattern NAME = Pattern.compile("(?i)\\bname=\"([^\"]*)\"");
    private static final int MAX_HEADER_LINE = 8192;

    private final PushbackInputStream in;
    private final byte[] delimiter;
    private boolean done;

    private MultipartPart(PushbackInputStream in, byte[] delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    /** Whether a Content-Type is {@code multipart/form-data}. */
    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** The content of the field {@code field} of the multipart {@code body}. */
    static InputStream field(InputStream body, String contentType, String field) throws IOException {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new IllegalArgumentException("multipart/form-data needs a boundary parameter, got "
                    + Json.quote(contentType));
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        PushbackInputStream in = new PushbackInputStream(new java.io.BufferedInputStream(body, 1 << 16), delimiter.length);
        // the body starts with the first boundary line (no CRLF before it)
        String first = line(in);
        if (!first.equals("--" + boundary)) {
            throw new IllegalArgumentException("multipart body does not start with its boundary");
        }
        while (true) {
            String name = null;
            for (String header; !(header = line(in)).isEmpty(); ) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                    Matcher n = NAME.matcher(header);
                    name = n.find() ? n.group(1) : null;
                }
            }
            MultipartPart part = new MultipartPart(in, delimiter);
            if (field.equals(name)) {
                return part;
            }
            part.transferTo(java.io.OutputStream.nullOutputStream());
            String after = line(in); // "--" after the last part's boundary, else the end of the boundary line
            if (after.startsWith("--")) {
                throw new IllegalArgumentException("multipart body has no field " + Json.quote(field));
            }
        }
    }

    @Override
    public int read() throws IOException {
        if (done) {
            return -1;
        }
        int b = next();
        if (b != (delimiter[0] & 0xff)) {
            return b;
        }
        byte[] seen = new byte[delimiter.length];
        seen[0] = (byte) b;
        for (int n = 1; n < delimiter.length; n++) {
            int c = next();
            seen[n] = (byte) c;
            if (seen[n] != delimiter[n]) {
                in.unread(seen, 1, n); // the bytes after the first may start the delimiter
                return b;
            }
        }
        done = true;
        return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            int c = read();
            if (c < 0) {
                break;
            }
            b[off + n++] = (byte) c;
            if (in.available() == 0 && n > 0) {
                break;
            }
        }
        return n == 0 ? -1 : n;
    }

    private int next() throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException("the multipart body ends before its closing boundary");
        }
        return c;
    }

    /** A CRLF-terminated header line (ISO-8859-1), without the CRLF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("the multipart body ends inside a header");
            }
            if (line.length() >= MAX_HEADER_LINE) {
                throw new IllegalArgumentException("a multipart header line is longer than " + MAX_HEADER_LINE + " bytes");
            }
            line.append((char) c);
        }
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        return line.substring(0, end);
    }
}
