package dev.vdb.bench.cluster;

import dev.vdb.cluster.ClusterNode;
import dev.vdb.cluster.ClusterOptions;
import dev.vdb.cluster.ClusterTopology;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.testkit.data.Dataset;
import dev.vdb.testkit.data.Metric;
import dev.vdb.testkit.net.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vdb bench cluster}: write throughput, search queries/s and recall at one ef of one
 * embedded node against a 3-node cluster (in this JVM, loopback Raft) at 1, 2 and 3 shards (one
 * replica) and at 1 shard with 3 replicas, in one run on the same generated data. On a machine
 * whose cores the three nodes share, the figures show the costs of the fan-out and of the log,
 * not speed-ups. Single-threaded driver; the clients run on a small pool.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "One node against a 3-node cluster at 1, 2, 3 shards: writes/s, searches/s, recall.")
public final class ClusterBench implements Callable<Integer> {

    @Option(names = "--base", defaultValue = "20000", description = "Points (default ${DEFAULT-VALUE}).")
    int base;

    @Option(names = "--queries", defaultValue = "500", description = "Queries (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--dim", defaultValue = "100", description = "Dimension (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--ef", defaultValue = "64", description = "hnsw_ef of every search (default ${DEFAULT-VALUE}).")
    int ef;

    @Option(names = "--batch", defaultValue = "100", description = "Points per upsert (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--clients", defaultValue = "4", description = "Concurrent clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rounds", defaultValue = "3", description = "Passes over the queries; the fastest counts (default ${DEFAULT-VALUE}).")
    int rounds;

    private static final int K = 10;

    record Row(String setup, double pointsPerSecond, double queriesPerSecond, double recall) {}

    @Override
    public Integer call() throws Exception {
        Dataset data = Dataset.generate(base, queries, dim, Metric.COSINE, K, 42);
        Path dir = Files.createTempDirectory("vdb-cluster-bench");
        System.out.printf("cluster bench: %d points of %d-d (generated, clustered), %d queries, k %d, ef %d, "
                + "%d clients, batches of %d%n", base, dim, queries, K, ef, clients, batch);
        List<Row> rows = new ArrayList<>();
        CollectionConfig config = CollectionConfig.of(dim, Distance.COSINE);
        try (VectorDb one = VectorDb.open(dir.resolve("single"))) {
            VectorCollection c = one.createCollection("bench", config);
            rows.add(measure("one node", List.of(c), data));
        }
        String peers = peers();
        List<ClusterNode> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                nodes.add(ClusterNode.start(ClusterTopology.parse(i, peers), dir.resolve("node" + i), ClusterOptions.DEFAULT));
            }
            int[][] shapes = {{1, 1}, {2, 1}, {3, 1}, {1, 3}, {3, 3}};
            for (int[] shape : shapes) {
                String name = "s" + shape[0] + "r" + shape[1];
                nodes.get(0).createCollection(name, config, shape[0], shape[1]);
                List<VectorCollection> via = new ArrayList<>();
                for (ClusterNode n : nodes) {
                    via.add(n.collection(name).orElseThrow());
                }
                rows.add(measure("3 nodes, " + shape[0] + " shard" + (shape[0] > 1 ? "s" : "") + " x "
                        + shape[1] + " replica" + (shape[1] > 1 ? "s" : ""), via, data));
            }
        } finally {
            nodes.forEach(ClusterNode::close);
        }
        Row ref = rows.get(0);
        System.out.println();
        System.out.println("| setup | points/s written | ÷ one node | searches/s | ÷ one node | recall@10 at ef " + ef + " |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Row r : rows) {
            System.out.printf("| %s | %.0f | %.2f | %.0f | %.2f | %.4f |%n", r.setup(), r.pointsPerSecond(),
                    r.pointsPerSecond() / ref.pointsPerSecond(), r.queriesPerSecond(),
                    r.queriesPerSecond() / ref.queriesPerSecond(), r.recall());
        }
        return 0;
    }

    private Row measure(String setup, List<VectorCollection> via, Dataset data) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            List<Future<?>> writes = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int client = t;
                writes.add(pool.submit(() -> {
                    for (int from; (from = next.getAndAdd(batch)) < base; ) {
                        List<Point> points = new ArrayList<>();
                        for (int i = from; i < Math.min(base, from + batch); i++) {
                            points.add(Point.of(i, data.base()[i]));
                        }
                        via.get(client % via.size()).upsert(points);
                    }
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get();
            }
            double pointsPerSecond = base / ((System.nanoTime() - t0) / 1e9);
            double best = 0;
            double recall = 0;
            for (int round = 0; round < rounds; round++) {
                AtomicInteger q = new AtomicInteger();
                double[] found = new double[queries];
                long s0 = System.nanoTime();
                List<Future<?>> searches = new ArrayList<>();
                for (int t = 0; t < clients; t++) {
                    int client = t;
                    searches.add(pool.submit(() -> {
                        for (int i; (i = q.getAndIncrement()) < queries; ) {
                            List<ScoredPoint> hits = via.get((client + i) % via.size()).search(SearchRequest.builder()
                                    .vector(data.queries()[i]).limit(K).withPayload(false)
                                    .params(SearchParams.ef(ef)).build());
                            int[] ids = hits.stream().mapToInt(h -> (int) (long) (Long) h.id().value()).toArray();
                            found[i] = Dataset.recall(data.groundTruth()[i], ids, K);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : searches) {
                    f.get();
                }
                best = Math.max(best, queries / ((System.nanoTime() - s0) / 1e9));
                double sum = 0;
                for (double f : found) {
                    sum += f;
                }
                recall = sum / queries;
            }
            System.out.printf("cluster bench: %s: %.0f points/s, %.0f searches/s, recall@10 %.4f%n", setup,
                    pointsPerSecond, best, recall);
            return new Row(setup, pointsPerSecond, best, recall);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String peers() {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            entries.add(i + "=127.0.0.1:" + Ports.free() + ":" + Ports.free());
        }
        return String.join(",", entries);
    }
}
