package dev.vdb.engine;

import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.search.MaximalMarginalRelevance;
import dev.vdb.engine.search.PointGroups;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named set of points of one dimension and metric.
 *
 * <p>Writes are durable on return (one synced RocksDB WriteBatch per call, all-or-nothing)
 * and visible to searches that start afterwards. Every method is thread-safe.
 */
public interface VectorCollection {

    String name();

    CollectionConfig config();

    /**
     * Inserts or replaces points (vector, payload and text) atomically.
     *
     * @return how many points were written
     * @throws IllegalArgumentException naming the point and field when any point is invalid;
     *     nothing of the batch is then written
     */
    int upsert(List<Point> points);

    Optional<Point> get(PointId id);

    /** The points that exist among {@code ids}, in the order asked; missing ids are left out. */
    List<Point> get(List<PointId> ids);

    /** Deletes points atomically; returns how many existed. */
    int delete(List<PointId> ids);

    /** Deletes every point {@code filter} matches atomically; returns how many. */
    default int deleteByFilter(Filter filter) {
        return deleteByFilter(filter, null);
    }

    /**
     * As {@link #deleteByFilter(Filter)}, within {@code timeout} (null: none) from the call.
     *
     * @throws QueryTimeoutException when finding the matching points took longer; nothing is deleted
     */
    int deleteByFilter(Filter filter, Duration timeout);

    /** Number of points. */
    long count();

    /** Number of points {@code filter} matches. */
    default long count(Filter filter) {
        return count(filter, null);
    }

    /**
     * As {@link #count(Filter)}, within {@code timeout} (null: none) from the call.
     *
     * @throws QueryTimeoutException when counting took longer; the count stopped
     */
    long count(Filter filter, Duration timeout);

    /**
     * Creates (or keeps, when it exists with the same schema) a payload index on {@code field}
     * (dotted for nested keys) that filters use; it is built from the stored payloads before
     * this returns and kept current by every write.
     *
     * @throws CollectionConflictException when the field is indexed with another schema
     */
    void createPayloadIndex(String field, PayloadSchema schema);

    /**
     * As {@link #createPayloadIndex(String, PayloadSchema)}; with {@code isTenant} (keyword
     * only) the field is the collection's tenant field, as Qdrant's {@code "is_tenant": true}: a
     * search filtered to one tenant (a {@code must} match of one value on it, possibly beside
     * other conditions) then costs about what a collection holding only that tenant would. One
     * tenant field per collection; a keyword index without it can become one.
     *
     * @throws IllegalArgumentException when {@code isTenant} is asked of another schema, or this
     *     kind of collection has no tenant indexes
     * @throws CollectionConflictException as {@link #createPayloadIndex(String, PayloadSchema)},
     *     and when another field is the tenant field
     */
    default void createPayloadIndex(String field, PayloadSchema schema, boolean isTenant) {
        if (isTenant) {
            throw new IllegalArgumentException("is_tenant indexes are not supported by " + getClass().getSimpleName());
        }
        createPayloadIndex(field, schema);
    }

    /**
     * Drops the payload index on {@code field}; filters on the field then read the stored
     * payloads. Dropping the {@code is_tenant} index drops its per-tenant graphs too (a tenant's
     * searches go to the filter planner). Returns whether there was an index.
     *
     * @throws IllegalArgumentException when this kind of collection cannot drop indexes
     */
    boolean deletePayloadIndex(String field);

    /** The field of the {@code is_tenant} index, if the collection has one. */
    default Optional<String> tenantField() {
        return Optional.empty();
    }

    /** The payload indexes, field → schema. */
    Map<String, PayloadSchema> payloadIndexes();

    /**
     * Qdrant's facet: the values of the payload field {@code key} among the points {@code filter}
     * matches (all when null), each with how many of those points hold it, most frequent first
     * (ties by value), at most {@code limit}. The field needs a keyword, integer or bool payload
     * index ({@link #createPayloadIndex}); counts are exact.
     *
     * @throws IllegalArgumentException when {@code key} has no such index, or {@code limit} is not positive
     */
    List<FacetHit> facet(String key, Filter filter, int limit);

    /** Points present in the vector index (equals {@link #count} once indexing has caught up). */
    long indexedVectorsCount();

    /**
     * Nearest neighbours of the vector, BM25 hits of the text, or both fused; among the points
     * the filter matches; best first.
     *
     * @throws QueryTimeoutException when the search ran past the request's {@link SearchRequest#timeout()}
     */
    List<ScoredPoint> search(SearchRequest request);

    /**
     * The best {@code request.limit()} groups of hits that share a value of the payload field
     * {@code groupBy} (a keyword or an integer; dotted for a nested key), each with its best
     * {@code groupSize} hits, groups ordered by their best hit: Qdrant's search groups, e.g. the
     * best chunk of each of the best documents. A point with several values joins each of their
     * groups, one without a value none. Exact over an exact search ({@link SearchParams#exact});
     * {@code limit × groupSize} at most 10,000; no offset; the request's timeout bounds the whole.
     *
     * @throws QueryTimeoutException when the searches ran past the request's timeout
     */
    default List<PointGroup> searchGroups(SearchRequest request, String groupBy, int groupSize) {
        return PointGroups.search(this, request, groupBy, groupSize);
    }

    /**
     * The request's vector search re-ranked by maximal marginal relevance (Qdrant's {@code mmr}):
     * of its nearest {@code mmr.candidatesLimit()} hits, the most relevant first, then each next
     * the best trade of relevance against similarity to those already chosen
     * ({@link dev.vdb.engine.search.MaximalMarginalRelevance}); hits keep their search scores.
     * {@code limit} and {@code offset} count the re-ranked hits; a text is refused.
     *
     * @throws QueryTimeoutException when the search and re-ranking ran past the request's timeout
     */
    default List<ScoredPoint> searchMmr(SearchRequest request, Mmr mmr) {
        return MaximalMarginalRelevance.search(this, request, mmr);
    }

    /** A page of points in id order (or by an indexed numeric field), as Qdrant's scroll. */
    ScrollPage scroll(ScrollRequest request);

    /**
     * Up to {@code request.limit()} points at random among those its filter matches, each
     * matching point as likely and none twice (Qdrant's {@code sample: random}); no offset or
     * order_by.
     */
    List<Point> sample(ScrollRequest request);

    /**
     * Sets the given payload keys on the selected points, keeping their other keys (Qdrant's
     * set payload); vectors and texts stay. Atomic; returns how many points changed.
     */
    int setPayload(PointSelector points, Map<String, ?> payload);

    /** Replaces the whole payload of the selected points. Atomic; returns how many points changed. */
    int overwritePayload(PointSelector points, Map<String, ?> payload);

    /** Removes the given top-level keys from the selected points' payloads. Atomic; returns how many. */
    int deletePayloadKeys(PointSelector points, List<String> keys);

    /** Empties the selected points' payloads. Atomic; returns how many points changed. */
    int clearPayload(PointSelector points);

    /**
     * Replaces the vectors of existing points, keeping payloads and texts. Atomic.
     *
     * @param vectors point id → new vector
     * @throws IllegalArgumentException naming the id of a point that does not exist or a bad vector;
     *     nothing is then written
     */
    int updateVectors(Map<PointId, float[]> vectors);

    /**
     * Sets (or with null removes) the collection's quantization. The new codes are built in the
     * background while searches keep using the old representation; they switch over atomically
     * once the codes are complete. The config is durable on return.
     */
    void updateQuantization(QuantizationConfig quantization);

    /** Heap, mapped memory and derived-file disk the collection uses now (zero when unloaded). */
    CollectionMemory memory();

    /** What the last open found and what searches have cost so far. */
    CollectionDiagnostics diagnostics();

    /**
     * Whether the collection's points and indexes are in memory now. A collection loads on its
     * first call after the database opens, and unloads after {@code DbOptions.unloadAfterIdle}
     * untouched; this call loads nothing.
     */
    boolean isLoaded();
}
