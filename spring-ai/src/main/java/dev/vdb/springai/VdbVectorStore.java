package dev.vdb.springai;

import dev.vdb.engine.CollectionConfig;
import dev.vdb.engine.Distance;
import dev.vdb.engine.Point;
import dev.vdb.engine.PointId;
import dev.vdb.engine.ScoredPoint;
import dev.vdb.engine.VectorCollection;
import dev.vdb.engine.VectorDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.DocumentMetadata;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.observation.conventions.VectorStoreSimilarityMetric;
import org.springframework.ai.vectorstore.AbstractVectorStoreBuilder;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.observation.AbstractObservationVectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

/**
 * A Spring AI {@link org.springframework.ai.vectorstore.VectorStore} in one vdb collection,
 * embedded in the application and persisted on disk.
 *
 * <p>Each document is a point: the document id is the point's (string) id, its text the point's
 * {@code text} (BM25-searchable through {@link #getNativeClient()}), its metadata the payload.
 * A search embeds the query with the store's {@link EmbeddingModel}; a hit's score is a
 * similarity ({@link Similarity}), {@code similarityThreshold} keeps hits scoring at least it,
 * and its metadata gains {@code distance} = 1 - score, as Spring AI's stores do. Filters mean
 * what they mean in {@code SimpleVectorStore} ({@link VdbFilterExpressionConverter}).
 *
 * <p>Thread-safe; writes are durable on return. {@link #close} closes the database only when
 * the store opened it ({@link Builder#path}).
 */
public final class VdbVectorStore extends AbstractObservationVectorStore implements AutoCloseable {

    /** The provider name observations carry. */
    public static final String PROVIDER = "vdb";
    public static final String DEFAULT_COLLECTION = "spring_ai";

    private final VectorDb ownedDb;
    private final VectorCollection collection;
    private final Distance distance;
    private final VdbFilterExpressionConverter filters = new VdbFilterExpressionConverter();

    private VdbVectorStore(Builder b, VectorDb ownedDb, VectorCollection collection) {
        super(b);
        this.ownedDb = ownedDb;
        this.collection = collection;
        this.distance = collection.config().distance();
    }

    public static Builder builder(EmbeddingModel embeddingModel) {
        return new Builder(embeddingModel);
    }

    @Override
    public void doAdd(List<Document> documents) {
        if (documents.isEmpty()) {
            return;
        }
        List<float[]> embeddings = embeddingModel.embed(documents, EmbeddingOptions.builder().build(), batchingStrategy);
        List<Point> points = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Document d = documents.get(i);
            points.add(new Point(PointId.of(d.getId()), embeddings.get(i), d.getMetadata(), d.getText()));
        }
        collection.upsert(points);
    }

    @Override
    public void doDelete(List<String> idList) {
        collection.delete(idList.stream().map(PointId::of).toList());
    }

    @Override
    protected void doDelete(Filter.Expression filterExpression) {
        collection.deleteByFilter(filters.convertExpression(filterExpression));
    }

    @Override
    public List<Document> doSimilaritySearch(SearchRequest request) {
        float[] query = embeddingModel.embed(request.getQuery());
        List<ScoredPoint> hits = collection.search(dev.vdb.engine.SearchRequest.builder()
                .vector(query)
                .limit(request.getTopK())
                .filter(request.getFilterExpression() == null ? null
                        : filters.convertExpression(request.getFilterExpression()))
                .scoreThreshold(Similarity.rawThreshold(distance, request.getSimilarityThreshold()))
                .withPayload(false)
                .build());
        Map<PointId, Point> points = new HashMap<>();
        for (Point p : collection.get(hits.stream().map(ScoredPoint::id).toList())) {
            points.put(p.id(), p);
        }
        List<Document> documents = new ArrayList<>(hits.size());
        for (ScoredPoint hit : hits) {
            double score = Similarity.of(distance, hit.score());
            Point point = points.get(hit.id());
            if (score >= request.getSimilarityThreshold() && point != null) {
                documents.add(toDocument(point, score));
            }
        }
        return documents;
    }

    private static Document toDocument(Point point, double score) {
        Map<String, Object> metadata = new LinkedHashMap<>(point.payload());
        metadata.put(DocumentMetadata.DISTANCE.value(), 1.0 - score);
        String id = point.id() instanceof PointId.Str s ? s.id() : point.id().value().toString();
        // a point written by another client may have no text; a Document needs one
        String text = point.text() == null ? "" : point.text();
        return Document.builder().id(id).text(text).metadata(metadata).score(score).build();
    }

    @Override
    public VectorStoreObservationContext.Builder createObservationContextBuilder(String operationName) {
        return VectorStoreObservationContext.builder(PROVIDER, operationName)
                .collectionName(collection.name())
                .dimensions(collection.config().dimension())
                .similarityMetric(switch (distance) {
                    case COSINE -> VectorStoreSimilarityMetric.COSINE.value();
                    case DOT -> VectorStoreSimilarityMetric.DOT.value();
                    case EUCLID -> VectorStoreSimilarityMetric.EUCLIDEAN.value();
                });
    }

    /** The collection, for what Spring AI has no word for (hybrid and BM25 search, payload indexes, scroll). */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> getNativeClient() {
        return Optional.of((T) collection);
    }

    @Override
    public void close() {
        if (ownedDb != null) {
            ownedDb.close();
        }
    }

    /**
     * Settings of a {@link VdbVectorStore}: where the database is ({@link #path} or an open
     * {@link #vectorDb}), the collection's name, and the metric to create it with; its
     * dimension is the embedding model's. An existing collection is used as it is (its
     * dimension and metric must then match). Not thread-safe.
     */
    public static final class Builder extends AbstractVectorStoreBuilder<Builder> {
        private Path path;
        private VectorDb vectorDb;
        private String collection = DEFAULT_COLLECTION;
        private Integer dimension;
        private Distance distance;

        private Builder(EmbeddingModel embeddingModel) {
            super(embeddingModel);
        }

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

        /** The collection's name ({@value VdbVectorStore#DEFAULT_COLLECTION} by default). */
        public Builder collection(String collection) {
            this.collection = collection;
            return this;
        }

        /** Vector length; by default the embedding model's {@code dimensions()}. */
        public Builder dimension(Integer dimension) {
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
        @Override
        public VdbVectorStore build() {
            if ((path == null) == (vectorDb == null)) {
                throw new IllegalArgumentException("give exactly one of path and vectorDb, got "
                        + (path == null ? "neither" : "both"));
            }
            VectorDb db = vectorDb != null ? vectorDb : VectorDb.open(path);
            try {
                return new VdbVectorStore(this, vectorDb != null ? null : db, openCollection(db));
            } catch (RuntimeException e) {
                if (vectorDb == null) {
                    db.close();
                }
                throw e;
            }
        }

        private VectorCollection openCollection(VectorDb db) {
            int size = dimension != null ? dimension : embeddingModel.dimensions();
            if (db.collectionNames().contains(collection)) {
                VectorCollection existing = db.collection(collection);
                CollectionConfig config = existing.config();
                if (size != config.dimension() || (distance != null && distance != config.distance())) {
                    throw new IllegalArgumentException("collection '" + collection + "' holds " + config.distance()
                            + " vectors of " + config.dimension() + ", asked for " + (distance == null ? "" : distance + " ")
                            + "vectors of " + size);
                }
                return existing;
            }
            return db.createCollection(collection, CollectionConfig.of(size, distance == null ? Distance.COSINE : distance));
        }
    }
}
