package dev.vdb.server;

import dev.vdb.engine.Collection;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorDb;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.ToLongFunction;

/**
 * The server's Prometheus metrics in a registry of its own (so several servers in one JVM do
 * not collide): requests and latency per route template; points, indexed vectors and payload
 * indexes per collection (read from the database at scrape time); searches by kind (vector,
 * text, hybrid), mode (index or exact) and whether filtered; points written and deleted. Thread-safe; recording a request allocates nothing once its label set exists.
 */
final class ServerMetrics {
    private static final double[] LATENCY_BUCKETS_SECONDS =
            {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;
    private final Counter searches;
    private final Counter upserted;
    private final Counter deleted;
    private final Counter rejected;

    ServerMetrics(VectorDb db) {
        requests = Counter.builder().name("vdb_http_requests_total")
                .help("HTTP requests by route template, method and status")
                .labelNames("route", "method", "status").register(registry);
        latency = Histogram.builder().name("vdb_http_request_duration_seconds")
                .help("HTTP request latency by route template").classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS_SECONDS)
                .labelNames("route").register(registry);
        searches = Counter.builder().name("vdb_searches_total")
                .help("Searches by kind (vector, text, hybrid), mode of the vector part (index or exact) and "
                        + "whether a filter was given")
                .labelNames("kind", "mode", "filtered").register(registry);
        upserted = Counter.builder().name("vdb_points_upserted_total")
                .help("Points written by upserts").register(registry);
        deleted = Counter.builder().name("vdb_points_deleted_total")
                .help("Points removed by deletes").register(registry);
        rejected = Counter.builder().name("vdb_http_rejected_total")
                .help("Requests answered 503 because the server was saturated or shutting down").register(registry);
        perCollectionGauge(db, "vdb_collection_points", "Points per collection", Collection::count);
        perCollectionGauge(db, "vdb_collection_indexed_vectors", "Points in the vector index per collection",
                Collection::indexedVectorsCount);
        perCollectionGauge(db, "vdb_collection_payload_indexes", "Payload indexes per collection",
                c -> c.payloadIndexes().size());
    }

    private void perCollectionGauge(VectorDb db, String name, String help, ToLongFunction<Collection> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("collection")
                .callback(cb -> {
                    for (String c : db.collectionNames()) {
                        try {
                            cb.call(value.applyAsLong(db.collection(c)), c);
                        } catch (NoSuchCollectionException droppedMeanwhile) {
                            // dropped between listing and reading: it has no value any more
                        }
                    }
                })
                .register(registry);
    }

    void request(String route, String method, int status, long nanos) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        latency.labelValues(route).observe(nanos / 1e9);
    }

    void searched(SearchRequest request) {
        String kind = request.text() == null ? "vector" : request.vector() == null ? "text" : "hybrid";
        boolean exact = request.vector() != null && request.params().exact(); // BM25 always uses its index
        searches.labelValues(kind, exact ? "exact" : "index",
                request.filter() == null ? "false" : "true").inc();
    }

    void upserted(int points) {
        upserted.inc(points);
    }

    void deleted(int points) {
        deleted.inc(points);
    }

    void rejected() {
        rejected.inc();
    }

    String contentType() {
        return writer.getContentType();
    }

    void writeTo(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
