package dev.vdb.index;

/**
 * A query ran past its {@link Deadline} and stopped; what it had computed is dropped. Carries no
 * stack trace (it is control flow, thrown from hot loops): the caller names the query and its
 * timeout.
 */
public final class DeadlineExceededException extends RuntimeException {

    public DeadlineExceededException() {
        super("the query ran past its deadline", null, false, false);
    }
}
