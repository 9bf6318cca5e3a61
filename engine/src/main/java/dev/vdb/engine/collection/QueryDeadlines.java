package dev.vdb.engine.collection;

import dev.vdb.engine.QueryTimeoutException;
import dev.vdb.index.Deadline;
import dev.vdb.index.DeadlineExceededException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Runs a query under its timeout: the {@link Deadline} starts with the call (waiting for the
 * collection counts), the query's loops check it, and one that passes it surfaces as a
 * {@link QueryTimeoutException} naming the operation and the timeout. Stateless.
 */
final class QueryDeadlines {

    private QueryDeadlines() {}

    /** {@code query}'s answer, given the deadline {@code timeout} (null: none) from now. */
    static <T> T within(String what, Duration timeout, Function<Deadline, T> query) {
        Deadline deadline = Deadline.after(timeout);
        try {
            return query.apply(deadline);
        } catch (DeadlineExceededException e) {
            throw new QueryTimeoutException(what, timeout);
        }
    }
}
