package dev.vdb.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;

/** Sending to Raft groups and reading their answers, with vdb's errors. Stateless and thread-safe. */
final class ClusterCalls {

    private static final ExecutorService WAITERS = Executors.newVirtualThreadPerTaskExecutor();

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClusterCalls() {}

    /**
     * A write through the group's leader; blocks until it is applied there, or until
     * {@code timeout} has passed: then the client is closed, which ends its retries, so a write
     * refused here is never sent again behind the caller's back. The blocking API, not the async
     * one: a failed async call closes the client's ordered window for good.
     */
    static RaftClientReply send(RaftClient client, Message message, String what, Duration timeout) {
        Future<RaftClientReply> f = WAITERS.submit(() -> client.io().send(message));
        try {
            RaftClientReply reply = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!reply.isSuccess()) {
                throw new ClusterUnavailableException(what + " failed: " + reply.getException(), reply.getException());
            }
            return reply;
        } catch (TimeoutException e) {
            closeQuietly(client);
            throw new ClusterUnavailableException(what + " found no majority within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            closeQuietly(client);
            throw new ClusterUnavailableException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            closeQuietly(client);
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException(what + " was interrupted", e);
        }
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // closing only ends the client's retries
        }
    }

    static JsonNode json(RaftClientReply reply) {
        try {
            return MAPPER.readTree(reply.getMessage().getContent().newInput());
        } catch (IOException e) {
            throw new IllegalStateException("a cluster answer is not JSON", e);
        }
    }

    /** Polls {@code probe} every few milliseconds until it gives a value or {@code timeout} passes. */
    static <T> T await(Supplier<Optional<T>> probe, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long sleep = 1; ; sleep = Math.min(50, sleep * 2)) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterUnavailableException("timed out after " + timeout.toMillis() + " ms waiting for " + what, null);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterUnavailableException("interrupted waiting for " + what, e);
            }
        }
    }
}
