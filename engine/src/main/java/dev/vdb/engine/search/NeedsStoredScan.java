package dev.vdb.engine.search;

/**
 * Thrown inside a search's locked section when its plan would read more stored payloads than
 * {@link FilteredSearch#MAX_PAYLOAD_EVALUATIONS} under the state lock: {@link SearchExecutor}
 * then resolves the filter by {@link StoredFilterScan}, with no lock held, and searches again
 * with the resolved set. One shared instance without a stack trace: it carries no state.
 */
final class NeedsStoredScan extends RuntimeException {

    static final NeedsStoredScan INSTANCE = new NeedsStoredScan();

    private NeedsStoredScan() {
        super("the filter needs a scan of stored payloads", null, false, false);
    }
}
