package dev.vdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.SnapshotInfo;
import dev.vdb.engine.Snapshots;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * The snapshot routes, in Qdrant's shape: create, list, download and delete snapshots of a
 * collection ({@code /collections/{name}/snapshots...}) and of the database ({@code /snapshots...}),
 * recover a collection from a {@code file://} location or from an uploaded file (raw body, or
 * multipart with the field {@code snapshot}); {@code checksum} (SHA-256, body field or query
 * parameter) is checked before anything changes. Thread-safe; uploads stream to disk.
 */
final class SnapshotEndpoints {
    private static final DateTimeFormatter CREATION_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final Set<String> RECOVER_FIELDS = Set.of("location", "checksum", "priority", "api_key");

    private final Snapshots snapshots;
    private final TreeReader reader;

    SnapshotEndpoints(Snapshots snapshots, TreeReader reader) {
        this.snapshots = snapshots;
        this.reader = reader;
    }

    /** A result for the JSON envelope, or a file to send as {@code application/octet-stream}. */
    record Reply(ResultWriter result, Path file) {
        static Reply of(ResultWriter result) {
            return new Reply(result, null);
        }
    }

    /**
     * Answers a snapshot route; {@code body} is the JSON body (recover) or the upload as it arrives.
     *
     * @param contentType the request's Content-Type (an upload may be multipart), or null
     * @param rawQuery the request's query string, or null
     */
    Reply handle(RouteMatch m, String method, InputStream body, String contentType, String rawQuery) throws IOException {
        String c = m.collection();
        String name = m.pointId();
        return switch (m.route()) {
            case SNAPSHOTS -> Reply.of(method.equals("POST") ? description(snapshots.createFull()) : list(snapshots.listFull()));
            case SNAPSHOT -> method.equals("DELETE") ? deleted(snapshots.deleteFull(name), name, "among the full snapshots")
                    : new Reply(null, snapshots.fullFile(name));
            case COLLECTION_SNAPSHOTS -> Reply.of(method.equals("POST") ? description(snapshots.create(c)) : list(snapshots.list(c)));
            case COLLECTION_SNAPSHOT -> method.equals("DELETE")
                    ? deleted(snapshots.delete(c, name), name, "for collection '" + c + "'")
                    : new Reply(null, snapshots.file(c, name));
            case RECOVER_SNAPSHOT -> recover(c, body);
            case UPLOAD_SNAPSHOT -> {
                InputStream file = MultipartPart.isMultipart(contentType)
                        ? MultipartPart.field(body, contentType, "snapshot") : body;
                snapshots.recover(c, file, queryParameter(rawQuery, "checksum"));
                yield Reply.of(g -> g.writeBoolean(true));
            }
            default -> throw new IllegalStateException(m.route() + " is not a snapshot route");
        };
    }

    private Reply recover(String collection, InputStream body) throws IOException {
        ObjectNode b = reader.object(body);
        TreeReader.onlyFields(b, "", RECOVER_FIELDS);
        String location = TreeReader.string(TreeReader.get(b, "location"), "location");
        String checksum = TreeReader.get(b, "checksum") == null ? null : TreeReader.string(b.get("checksum"), "checksum");
        snapshots.recover(collection, localFile(location), checksum);
        return Reply.of(g -> g.writeBoolean(true));
    }

    /** The file a {@code file://} location names; other schemes are refused (this server fetches nothing). */
    static Path localFile(String location) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("location must be a file:// URI, got " + Json.quote(location));
        }
        if (!"file".equalsIgnoreCase(uri.getScheme()) || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("location must be a file:// URI of a snapshot on the server (upload "
                    + "other files with POST /collections/{name}/snapshots/upload), got " + Json.quote(location));
        }
        return Path.of(uri.getPath());
    }

    private static Reply deleted(boolean existed, String name, String where) {
        if (!existed) {
            throw HttpError.notFound("snapshot " + Json.quote(name) + " does not exist " + where);
        }
        return Reply.of(g -> g.writeBoolean(true));
    }

    private static ResultWriter description(SnapshotInfo info) {
        return g -> write(g, info);
    }

    private static ResultWriter list(List<SnapshotInfo> infos) {
        return g -> {
            g.writeStartArray();
            for (SnapshotInfo info : infos) {
                write(g, info);
            }
            g.writeEndArray();
        };
    }

    /** Qdrant's SnapshotDescription: creation_time as a UTC date-time without zone, to the second. */
    private static void write(JsonGenerator g, SnapshotInfo info) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", info.name());
        g.writeStringField("creation_time", CREATION_TIME.format(info.creationTime()));
        g.writeNumberField("size", info.size());
        if (info.checksum() == null) {
            g.writeNullField("checksum");
        } else {
            g.writeStringField("checksum", info.checksum());
        }
        g.writeEndObject();
    }

    /** A query parameter's decoded value, or null. */
    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
