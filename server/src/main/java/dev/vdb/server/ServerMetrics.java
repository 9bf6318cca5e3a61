package dev.vdb.server;

import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.NoSuchCollectionException;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorDb;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ToLongFunction;

/**
 * The server's Prometheus metrics in a registry of its own (so several servers in one JVM do
 * not collide): requests and latency per route template; points, indexed vectors and payload
 * indexes per collection (read from the database at scrape time); searches by kind (vector,
 * text, hybrid), mode (index or exact) and whether filtered; points written and deleted. Every
 * label set is bounded: routes are templates, methods outside {@link #METHODS} count as
 * "other". Thread-safe; recording a request allocates nothing once its data points exist
 * (they are looked up once and kept in arrays) and keeps no exemplars (there is no tracing to
 * link them to).
 */
final class ServerMetrics {
    private static final double[] LATENCY_BUCKETS_SECONDS =
            {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** Method labels; any other method is labelled "other" (a client must not grow the label set). */
    static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH", "other");
    private static final int STATUSES = 600;
    private static final List<String> SEARCH_KINDS = List.of("vector", "text", "hybrid");
    /** Routes plus one for requests that match none. */
    private static final int ROUTE_LABELS = Route.values().length + 1;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;
    private final Counter searches;
    private final Counter upserted;
    private final Counter deleted;
    private final Counter updated;
    private final Counter rejected;
    /** Request counters by (route label, method label, status), made on first use. */
    private final AtomicReferenceArray<CounterDataPoint> requestCounts =
            new AtomicReferenceArray<>(ROUTE_LABELS * METHODS.size() * STATUSES);
    /** Latency histograms by route label, made on first use. */
    private final AtomicReferenceArray<DistributionDataPoint> latencies = new AtomicReferenceArray<>(ROUTE_LABELS);
    /** Search counters by (kind, mode, filtered), made on first use. */
    private final AtomicReferenceArray<CounterDataPoint> searchCounts = new AtomicReferenceArray<>(3 * 2 * 2);

    ServerMetrics(VectorDb db) {
        requests = Counter.builder().name("vdb_http_requests_total")
                .help("HTTP requests by route template, method and status")
                .labelNames("route", "method", "status").withoutExemplars().register(registry);
        latency = Histogram.builder().name("vdb_http_request_duration_seconds")
                .help("HTTP request latency by route template").classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS_SECONDS)
                .labelNames("route").withoutExemplars().register(registry);
        searches = Counter.builder().name("vdb_searches_total")
                .help("Searches by kind (vector, text, hybrid), mode of the vector part (index or exact) and "
                        + "whether a filter was given")
                .labelNames("kind", "mode", "filtered").register(registry);
        upserted = Counter.builder().name("vdb_points_upserted_total")
                .help("Points written by upserts").register(registry);
        deleted = Counter.builder().name("vdb_points_deleted_total")
                .help("Points removed by deletes").register(registry);
        updated = Counter.builder().name("vdb_points_updated_total")
                .help("Points whose payload or vector an update changed").register(registry);
        rejected = Counter.builder().name("vdb_http_rejected_total")
                .help("Requests answered 503 because the server was saturated or shutting down").register(registry);
        GaugeWithCallback.builder().name("vdb_collections_loaded")
                .help("Collections whose points and indexes are in memory (the others load on their next request)")
                .callback(cb -> cb.call(db.collectionNames().stream().filter(c -> loaded(db, c)).count()))
                .register(registry);
        perCollectionGauge(db, "vdb_collection_points", "Points per collection", VectorCollection::count);
        perCollectionGauge(db, "vdb_collection_indexed_vectors", "Points in the vector index per collection",
                VectorCollection::indexedVectorsCount);
        perCollectionGauge(db, "vdb_collection_payload_indexes", "Payload indexes per collection",
                c -> c.payloadIndexes().size());
    }

    private static boolean loaded(VectorDb db, String collection) {
        try {
            return db.collection(collection).isLoaded();
        } catch (NoSuchCollectionException droppedMeanwhile) {
            return false;
        }
    }

    /** A gauge per loaded collection: a scrape never loads an unloaded one. */
    private void perCollectionGauge(VectorDb db, String name, String help, ToLongFunction<VectorCollection> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("collection")
                .callback(cb -> {
                    for (String c : db.collectionNames()) {
                        try {
                            VectorCollection collection = db.collection(c);
                            if (!collection.isLoaded()) {
                                continue;
                            }
                            cb.call(value.applyAsLong(collection), c);
                        } catch (NoSuchCollectionException droppedMeanwhile) {
                            // dropped between listing and reading: it has no value any more
                        }
                    }
                })
                .register(registry);
    }

    /** @param route null when the request matched no route */
    void request(Route route, String method, int status, long nanos) {
        int r = route == null ? ROUTE_LABELS - 1 : route.ordinal();
        String routeLabel = route == null ? Route.UNMATCHED : route.template();
        int m = METHODS.indexOf(method);
        if (m < 0) {
            m = METHODS.size() - 1;
        }
        int s = status >= 0 && status < STATUSES ? status : 0; // the HTTP server only sends 1xx..5xx
        int i = (r * METHODS.size() + m) * STATUSES + s;
        CounterDataPoint count = requestCounts.get(i);
        if (count == null) {
            // labelValues returns the same data point for the same labels, so a race only repeats the lookup
            count = requests.labelValues(routeLabel, METHODS.get(m), Integer.toString(s));
            requestCounts.set(i, count);
        }
        count.inc();
        DistributionDataPoint time = latencies.get(r);
        if (time == null) {
            time = latency.labelValues(routeLabel);
            latencies.set(r, time);
        }
        time.observe(nanos / 1e9);
    }

    void searched(SearchRequest request) {
        int kind = request.text() == null ? 0 : request.vector() == null ? 1 : 2;
        boolean exact = request.vector() != null && request.params().exact(); // BM25 always uses its index
        boolean filtered = request.filter() != null;
        int i = (kind * 2 + (exact ? 1 : 0)) * 2 + (filtered ? 1 : 0);
        CounterDataPoint count = searchCounts.get(i);
        if (count == null) {
            count = searches.labelValues(SEARCH_KINDS.get(kind), exact ? "exact" : "index", Boolean.toString(filtered));
            searchCounts.set(i, count);
        }
        count.inc();
    }

    void upserted(int points) {
        upserted.inc(points);
    }

    void updated(int points) {
        updated.inc(points);
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
