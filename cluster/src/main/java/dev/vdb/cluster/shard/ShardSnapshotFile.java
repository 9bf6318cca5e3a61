package dev.vdb.cluster.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.cluster.wire.PointWire;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScrollPage;
import dev.vdb.engine.ScrollRequest;
import dev.vdb.engine.VectorCollection;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A shard's state at one log index as a file: the points of its local collection, exported
 * through the engine's public API, and its payload index definitions. Gzipped JSON lines: a
 * header ({@code format}, {@code index}, {@code payload_indexes}), then one point per line.
 * Written to a temp file, fsynced and renamed. When the engine's own collection snapshot
 * lands, it replaces the export and import here; nothing else changes. Stateless.
 */
public final class ShardSnapshotFile {

    static final int FORMAT = 1;
    private static final int PAGE = 512;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ShardSnapshotFile() {}

    /** Exports {@code c} (which must not change meanwhile) to {@code target}. */
    public static void write(VectorCollection c, long index, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (var out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(tmp)),
                StandardCharsets.UTF_8))) {
            ObjectNode header = JsonNodeFactory.instance.objectNode().put("format", FORMAT).put("index", index);
            ObjectNode indexes = header.putObject("payload_indexes");
            c.payloadIndexes().forEach((k, v) -> indexes.put(k, v.apiName()));
            out.write(header.toString());
            out.newLine();
            ScrollRequest ids = ScrollRequest.of(PAGE).including(false, false);
            for (ScrollPage page = c.scroll(ids); ; page = c.scroll(ids.startingAt(page.nextOffset()))) {
                List<PointId> pageIds = page.points().stream().map(Point::id).toList();
                for (Point p : c.get(pageIds)) {
                    out.write(PointWire.point(p).toString());
                    out.newLine();
                }
                if (page.nextOffset() == null) {
                    break;
                }
            }
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads the file into {@code c}, which must be empty; returns the log index it holds. */
    public static long load(Path file, VectorCollection c) throws IOException {
        try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            JsonNode header = MAPPER.readTree(in.readLine());
            if (header.path("format").asInt() != FORMAT) {
                throw new IOException("shard snapshot " + file + " has format " + header.path("format")
                        + ", expected " + FORMAT);
            }
            header.get("payload_indexes").fields().forEachRemaining(
                    e -> c.createPayloadIndex(e.getKey(), PayloadSchema.parse(e.getValue().asText())));
            List<Point> batch = new ArrayList<>(PAGE);
            for (String line; (line = in.readLine()) != null; ) {
                batch.add(PointWire.point(MAPPER.readTree(line)));
                if (batch.size() == PAGE) {
                    c.upsert(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                c.upsert(batch);
            }
            return header.get("index").asLong();
        }
    }
}
