package dev.vdb.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;

/** Sending to Raft groups and reading their answers, with vdb's errors. Stateless and thread-safe. */
final class ClusterCalls {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClusterCalls() {}

    /**
     * A write through the group's leader; blocks until it is applied there. The blocking API,
     * not the async one: a failed async call closes the client's ordered window for good.
     */
    static RaftClientReply send(RaftClient client, Message message, String what) {
        try {
            RaftClientReply reply = client.io().send(message);
            if (!reply.isSuccess()) {
                throw new ClusterUnavailableException(what + " failed: " + reply.getException(), reply.getException());
            }
            return reply;
        } catch (IOException e) {
            throw new ClusterUnavailableException(what + " failed: " + e, e);
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
