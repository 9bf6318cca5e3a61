package dev.vdb.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web dashboard's static files ({@code /dashboard} is its page, {@code /dashboard/{file}} the
 * script and style), loaded once from the jar: plain HTML, CSS and JavaScript, no build step. The
 * files hold no data; the page reads everything through the API with the key the user enters.
 * Immutable and thread-safe.
 */
final class Dashboard {
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    /** A file and its content type. */
    record File(String contentType, byte[] body) {}

    private final Map<String, File> files;

    private Dashboard(Map<String, File> files) {
        this.files = files;
    }

    static Dashboard load() {
        Map<String, File> loaded = new java.util.HashMap<>();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            try (InputStream in = Dashboard.class.getResourceAsStream("dashboard/" + f.getKey())) {
                if (in == null) {
                    throw new IllegalStateException("dashboard/" + f.getKey() + " is missing from the server's resources");
                }
                loaded.put(f.getKey(), new File(f.getValue(), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Dashboard(Map.copyOf(loaded));
    }

    /** The page for null, else the named file; 404 for any other name. */
    File file(String name) {
        File f = files.get(name == null ? "index.html" : name);
        if (f == null) {
            throw HttpError.notFound("no dashboard file " + Json.quote(name));
        }
        return f;
    }
}
