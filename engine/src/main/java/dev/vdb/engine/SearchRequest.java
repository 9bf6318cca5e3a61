package dev.vdb.engine;

import dev.vdb.engine.filter.Filter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A query: nearest neighbours of a vector, BM25 over a text, or both fused (hybrid), among the
 * points that pass a filter. Immutable; build one with {@link #builder()} (or the shortcuts
 * {@link #of} and {@link #ofText}) and derive variants with {@link #toBuilder()}.
 *
 * <pre>{@code
 * SearchRequest nearest = SearchRequest.of(queryVector, 10);
 * SearchRequest hybrid = SearchRequest.builder()
 *         .vector(queryVector).text("supersonic flow")
 *         .filter(Filter.match("city", "London"))
 *         .limit(5).fusion(Fusion.weighted(0.5f)).explain(true).timeout(Duration.ofSeconds(2))
 *         .build();
 * List<ScoredPoint> hits = collection.search(hybrid);
 * }</pre>
 */
public final class SearchRequest {

    public static final int MAX_LIMIT = 10_000;

    private final float[] vector;
    private final String text;
    private final Filter filter;
    private final int limit;
    private final int offset;
    private final SearchParams params;
    private final Fusion fusion;
    private final boolean withPayload;
    private final boolean withVector;
    private final boolean explain;
    private final Float scoreThreshold;
    private final Duration timeout;

    private SearchRequest(Builder b) {
        if (b.vector == null && b.text == null) {
            throw new IllegalArgumentException("a search needs a vector, a text, or both");
        }
        if (b.limit < 1 || b.limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in 1.." + MAX_LIMIT + ", got " + b.limit);
        }
        if (b.offset < 0 || b.offset > MAX_LIMIT) {
            throw new IllegalArgumentException("offset must be in 0.." + MAX_LIMIT + ", got " + b.offset);
        }
        if (b.scoreThreshold != null && !Float.isFinite(b.scoreThreshold)) {
            throw new IllegalArgumentException("score_threshold must be a finite number, got " + b.scoreThreshold);
        }
        if (b.timeout != null && (b.timeout.isNegative() || b.timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + b.timeout);
        }
        this.vector = b.vector;
        this.text = b.text;
        this.filter = b.filter;
        this.limit = b.limit;
        this.offset = b.offset;
        this.params = b.params;
        this.fusion = b.fusion;
        this.withPayload = b.withPayload;
        this.withVector = b.withVector;
        this.explain = b.explain;
        this.scoreThreshold = b.scoreThreshold;
        this.timeout = b.timeout;
    }

    /** A new builder: limit 10, payloads on, vectors off, default params and fusion. */
    public static Builder builder() {
        return new Builder();
    }

    /** A vector search: the top {@code limit} by the index, with payloads, without vectors. */
    public static SearchRequest of(float[] vector, int limit) {
        return builder().vector(Objects.requireNonNull(vector, "vector")).limit(limit).build();
    }

    /** A text (BM25) search: the top {@code limit}, with payloads. */
    public static SearchRequest ofText(String text, int limit) {
        return builder().text(Objects.requireNonNull(text, "text")).limit(limit).build();
    }

    /** A builder holding this request's settings. */
    public Builder toBuilder() {
        return new Builder().vector(vector).text(text).filter(filter).limit(limit).offset(offset).params(params)
                .fusion(fusion).withPayload(withPayload).withVector(withVector).explain(explain)
                .scoreThreshold(scoreThreshold).timeout(timeout);
    }

    /** The query vector (the collection's dimension), or null for a text-only search. */
    public float[] vector() {
        return vector;
    }

    /** The query text, or null for a vector-only search. */
    public String text() {
        return text;
    }

    /** Only points it matches are returned; null for all. */
    public Filter filter() {
        return filter;
    }

    /** Results wanted, 1..{@value #MAX_LIMIT}. */
    public int limit() {
        return limit;
    }

    /** Results skipped first, ≥ 0. */
    public int offset() {
        return offset;
    }

    public SearchParams params() {
        return params;
    }

    /** How hybrid merges the vector and text lists. */
    public Fusion fusion() {
        return fusion;
    }

    public boolean withPayload() {
        return withPayload;
    }

    public boolean withVector() {
        return withVector;
    }

    /** Whether every hit carries a {@link HitExplanation}. */
    public boolean explain() {
        return explain;
    }

    /**
     * Hits past it are left out, or null for none: for a Cosine or Dot vector search, BM25 and
     * hybrid, hits scoring below it; for a Euclid vector search, hits farther than it (as
     * Qdrant's {@code score_threshold}).
     */
    public Float scoreThreshold() {
        return scoreThreshold;
    }

    /**
     * How long the search may run, from the call, or null for no limit: past it the search stops
     * (its thread is freed) and throws {@link QueryTimeoutException}.
     */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchRequest r && Arrays.equals(vector, r.vector) && Objects.equals(text, r.text)
                && Objects.equals(filter, r.filter) && limit == r.limit && offset == r.offset
                && params.equals(r.params) && fusion.equals(r.fusion) && withPayload == r.withPayload
                && withVector == r.withVector && explain == r.explain && Objects.equals(scoreThreshold, r.scoreThreshold)
                && Objects.equals(timeout, r.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(vector), text, filter, limit, offset, params, fusion, withPayload,
                withVector, explain, scoreThreshold, timeout);
    }

    @Override
    public String toString() {
        return "SearchRequest[" + (vector == null ? "" : "vector of " + vector.length + " ")
                + (text == null ? "" : "text '" + text + "' ") + "limit " + limit + ", offset " + offset
                + (filter == null ? "" : ", filter " + filter) + ", " + params + ", " + fusion
                + (scoreThreshold == null ? "" : ", score_threshold " + scoreThreshold)
                + (timeout == null ? "" : ", timeout " + timeout) + "]";
    }

    /** Collects a {@link SearchRequest}'s settings; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private float[] vector;
        private String text;
        private Filter filter;
        private int limit = 10;
        private int offset;
        private SearchParams params = SearchParams.DEFAULT;
        private Fusion fusion = Fusion.DEFAULT;
        private boolean withPayload = true;
        private boolean withVector;
        private boolean explain;
        private Float scoreThreshold;
        private Duration timeout;

        private Builder() {}

        /** The query vector; the collection normalises it for Cosine. */
        public Builder vector(float[] vector) {
            this.vector = vector;
            return this;
        }

        /** The BM25 query text; with a vector too, the search is hybrid. */
        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        public Builder offset(int offset) {
            this.offset = offset;
            return this;
        }

        /** Search knobs ({@link SearchParams#DEFAULT} when null). */
        public Builder params(SearchParams params) {
            this.params = Objects.requireNonNullElse(params, SearchParams.DEFAULT);
            return this;
        }

        /** Hybrid fusion ({@link Fusion#DEFAULT} when null). */
        public Builder fusion(Fusion fusion) {
            this.fusion = Objects.requireNonNullElse(fusion, Fusion.DEFAULT);
            return this;
        }

        public Builder withPayload(boolean withPayload) {
            this.withPayload = withPayload;
            return this;
        }

        public Builder withVector(boolean withVector) {
            this.withVector = withVector;
            return this;
        }

        public Builder explain(boolean explain) {
            this.explain = explain;
            return this;
        }

        /** See {@link SearchRequest#scoreThreshold()}; null for none. */
        public Builder scoreThreshold(Float scoreThreshold) {
            this.scoreThreshold = scoreThreshold;
            return this;
        }

        /** See {@link SearchRequest#timeout()}; null for none. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad setting */
        public SearchRequest build() {
            return new SearchRequest(this);
        }
    }
}
