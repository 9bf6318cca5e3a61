package dev.vdb.langchain4j;

import static dev.langchain4j.internal.Utils.randomUUID;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import dev.vdb.engine.filter.Filter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A LangChain4j {@link EmbeddingStore} of {@link TextSegment}s in one vdb collection, embedded
 * in the application and persisted on disk.
 *
 * <p>Each embedding is a point: the LangChain4j id is the point's (string) id, the segment's
 * text is the point's {@code text} (so BM25 and {@link #hybridSearch hybrid search} need nothing
 * more) and its metadata is the payload ({@link MetadataPayload} tells how values are stored).
 * {@link #search} is a vector search whose scores are relevances in 0..1 ({@link Relevance});
 * LangChain4j metadata filters become engine filters with LangChain4j's meaning
 * ({@link FilterMapper}).
 *
 * <pre>{@code
 * try (VdbEmbeddingStore store = VdbEmbeddingStore.builder().path(Path.of("data"))
 *         .collection("docs").dimension(384).build()) {
 *     store.add(embedding, TextSegment.from("Laminar flow", Metadata.from("year", 1958)));
 *     store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(5)
 *             .filter(metadataKey("year").isGreaterThan(1950)).build());
 * }
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread; writes are durable on return.
 * {@link #close} closes the database only when the store opened it ({@link Builder#path}).
 */
public final class VdbEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {

    /** Points per engine upsert: each batch is written atomically. */
    static final int WRITE_BATCH = 10_000;

    private final VectorDb ownedDb;
    private final VectorCollection collection;
    private final Distance distance;

    private VdbEmbeddingStore(VectorDb ownedDb, VectorCollection collection) {
        this.ownedDb = ownedDb;
        this.collection = collection;
        this.distance = collection.config().distance();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The collection this store writes to and searches, for anything LangChain4j has no word for. */
    public VectorCollection collection() {
        return collection;
    }

    @Override
    public String add(Embedding embedding) {
        String id = randomUUID();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = randomUUID();
        addAll(List.of(id), List.of(embedding), segment == null ? null : List.of(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    /**
     * Adds (or replaces, by id) embeddings with their segments; {@code segments} may be null.
     *
     * @throws IllegalArgumentException when the lists differ in size or an id, vector or
     *     metadata value is invalid; nothing of that batch of {@value #WRITE_BATCH} is then written
     */
    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(embeddings, "embeddings");
        if (ids.size() != embeddings.size() || (segments != null && segments.size() != ids.size())) {
            throw new IllegalArgumentException("ids, embeddings and segments must be of one size, got " + ids.size()
                    + ", " + embeddings.size() + " and " + (segments == null ? "none" : segments.size()));
        }
        List<Point> batch = new ArrayList<>(Math.min(ids.size(), WRITE_BATCH));
        for (int i = 0; i < ids.size(); i++) {
            TextSegment segment = segments == null ? null : segments.get(i);
            batch.add(new Point(PointId.of(ids.get(i)), embeddings.get(i).vector(),
                    segment == null ? null : MetadataPayload.toPayload(segment.metadata()),
                    segment == null ? null : segment.text()));
            if (batch.size() == WRITE_BATCH) {
                collection.upsert(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            collection.upsert(batch);
        }
    }

    @Override
    public void removeAll(Collection<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("ids cannot be null or empty");
        }
        collection.delete(ids.stream().map(PointId::of).toList());
    }

    @Override
    public void removeAll(dev.langchain4j.store.embedding.filter.Filter filter) {
        if (filter == null) {
            throw new IllegalArgumentException("filter cannot be null");
        }
        collection.deleteByFilter(FilterMapper.map(filter));
    }

    @Override
    public void removeAll() {
        collection.deleteByFilter(Filter.must());
    }

    /**
     * The nearest embeddings to {@code request.queryEmbedding()} among those the filter admits,
     * at least {@code minScore} relevant, best first. The request's {@code query} text is not
     * used here (see {@link #hybridSearch}).
     */
    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        SearchRequest engineRequest = SearchRequest.builder()
                .vector(request.queryEmbedding().vector())
                .limit(request.maxResults())
                .filter(FilterMapper.map(request.filter()))
                .scoreThreshold(Relevance.rawThreshold(distance, request.minScore()))
                .withPayload(false)
                .build();
        List<ScoredPoint> hits = collection.search(engineRequest);
        Map<PointId, Point> points = load(hits);
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(hits.size());
        for (ScoredPoint hit : hits) {
            double relevance = Relevance.of(distance, hit.score());
            Point point = points.get(hit.id());
            if (relevance >= request.minScore() && point != null) {
                matches.add(match(relevance, point));
            }
        }
        return new EmbeddingSearchResult<>(matches);
    }

    /**
     * Hybrid search: the nearest neighbours of {@code request.queryEmbedding()} and the BM25
     * hits of {@code request.query()} over segment texts, fused by {@code fusion}; a vector
     * search when the request has no query text. A match's score is the fused score (for RRF
     * about {@code 1/(k + rank)} summed over both lists, for weighted fusion 0..1), and
     * {@code minScore} applies to it.
     */
    public EmbeddingSearchResult<TextSegment> hybridSearch(EmbeddingSearchRequest request, Fusion fusion) {
        if (request.query() == null || request.query().isBlank()) {
            return search(request);
        }
        SearchRequest engineRequest = SearchRequest.builder()
                .vector(request.queryEmbedding().vector())
                .text(request.query())
                .fusion(fusion)
                .limit(request.maxResults())
                .filter(FilterMapper.map(request.filter()))
                .scoreThreshold(request.minScore() > 0 ? (float) request.minScore() : null)
                .withPayload(false)
                .build();
        List<ScoredPoint> hits = collection.search(engineRequest);
        Map<PointId, Point> points = load(hits);
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(hits.size());
        for (ScoredPoint hit : hits) {
            Point point = points.get(hit.id());
            if (point != null) {
                matches.add(match(hit.score(), point));
            }
        }
        return new EmbeddingSearchResult<>(matches);
    }

    /** The hits' stored points (a hit deleted since the search is absent). */
    private Map<PointId, Point> load(List<ScoredPoint> hits) {
        Map<PointId, Point> points = new HashMap<>();
        for (Point p : collection.get(hits.stream().map(ScoredPoint::id).toList())) {
            points.put(p.id(), p);
        }
        return points;
    }

    private static EmbeddingMatch<TextSegment> match(double score, Point point) {
        TextSegment segment = point.text() == null ? null
                : TextSegment.from(point.text(), MetadataPayload.toMetadata(point.payload()));
        String id = point.id() instanceof PointId.Str s ? s.id() : point.id().value().toString();
        return new EmbeddingMatch<>(score, id, Embedding.from(point.vector()), segment);
    }

    @Override
    public void close() {
        if (ownedDb != null) {
            ownedDb.close();
        }
    }

    /**
     * Settings of a {@link VdbEmbeddingStore}: where the database is ({@link #path} or an open
     * {@link #vectorDb}), the collection's name and, to create it, its dimension and metric. An
     * existing collection is used as it is (a dimension or metric given must then match it).
     * Not thread-safe.
     */
    public static final class Builder {
        public static final String DEFAULT_COLLECTION = "langchain4j";

        private Path path;
        private VectorDb vectorDb;
        private String collection = DEFAULT_COLLECTION;
        private Integer dimension;
        private Distance distance;

        private Builder() {}

        /** Opens (creating if needed) the database in this directory; the store closes it. */
        public Builder path(Path path) {
            this.path = path;
            return this;
        }

        /** Uses an open database, which the caller keeps and closes. */
        public Builder vectorDb(VectorDb vectorDb) {
            this.vectorDb = vectorDb;
            return this;
        }

        /** The collection's name ({@value #DEFAULT_COLLECTION} by default). */
        public Builder collection(String collection) {
            this.collection = collection;
            return this;
        }

        /** Vector length: required to create the collection, checked against an existing one. */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** The metric to create the collection with ({@link Distance#COSINE} by default). */
        public Builder distance(Distance distance) {
            this.distance = distance;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting that is missing, conflicting or
         *     does not match the existing collection
         */
        public VdbEmbeddingStore build() {
            if ((path == null) == (vectorDb == null)) {
                throw new IllegalArgumentException("give exactly one of path and vectorDb, got "
                        + (path == null ? "neither" : "both"));
            }
            VectorDb db = vectorDb != null ? vectorDb : VectorDb.open(path);
            try {
                return new VdbEmbeddingStore(vectorDb != null ? null : db, openCollection(db));
            } catch (RuntimeException e) {
                if (vectorDb == null) {
                    db.close();
                }
                throw e;
            }
        }

        private VectorCollection openCollection(VectorDb db) {
            if (db.collectionNames().contains(collection)) {
                VectorCollection existing = db.collection(collection);
                CollectionConfig config = existing.config();
                if (dimension != null && dimension != config.dimension()) {
                    throw new IllegalArgumentException("dimension " + dimension + " does not match collection '"
                            + collection + "', which holds vectors of " + config.dimension());
                }
                if (distance != null && distance != config.distance()) {
                    throw new IllegalArgumentException("distance " + distance + " does not match collection '"
                            + collection + "', which uses " + config.distance());
                }
                return existing;
            }
            if (dimension == null) {
                throw new IllegalArgumentException("dimension is needed to create collection '" + collection + "'");
            }
            return db.createCollection(collection,
                    CollectionConfig.of(dimension, distance == null ? Distance.COSINE : distance));
        }
    }
}
