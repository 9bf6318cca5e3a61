package dev.vdb.cluster.proto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka prototype: a topic of one partition replicated on three brokers (min.insync.replicas 2),
 * producers with acks=all that wait for each record (as a write that must be acknowledged
 * before it returns would), measuring writes per second and latency.
 *
 * <pre>java KafkaProto BOOTSTRAP MODE THREADS SECONDS BYTES</pre>
 *
 * A throwaway measurement tool; each thread owns its producer.
 */
public final class KafkaProto {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int threads = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int bytes = Integer.parseInt(args[4]);
        Properties ap = new Properties();
        ap.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(ap)) {
            for (int attempt = 0; ; attempt++) {   // brokers register one by one
                try {
                    admin.createTopics(List.of(new NewTopic("shard-0", 1, (short) 3)
                            .configs(Map.of("min.insync.replicas", "2")))).all().get();
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (attempt == 60) {
                        throw e;
                    }
                    Thread.sleep(1000);
                }
            }
        }
        Properties pp = new Properties();
        pp.put("bootstrap.servers", bootstrap);
        pp.put("acks", "all");
        pp.put("enable.idempotence", "true");
        pp.put("linger.ms", "0");
        pp.put("key.serializer", ByteArraySerializer.class.getName());
        pp.put("value.serializer", ByteArraySerializer.class.getName());
        byte[] payload = new byte[bytes];
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(pp)) {
            long t0 = System.nanoTime();
            p.send(new ProducerRecord<>("shard-0", payload)).get();
            System.out.printf("first write after %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        long warm = System.nanoTime() + 3_000_000_000L;
        long end = warm + (seconds - 3) * 1_000_000_000L;
        List<long[]> lat = new ArrayList<>();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long[] l = new long[2_000_000];
            lat.add(l);
            ts[t] = new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(pp)) {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        p.send(new ProducerRecord<>("shard-0", payload)).get();
                        if (s > warm && n < l.length - 1) {
                            l[++n] = System.nanoTime() - s;
                        }
                        l[0] = n;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        Stats.print("kafka-" + args[1], threads, bytes, seconds - 3, lat);
        System.exit(0);
    }
}
