package dev.vdb.server;

import static dev.vdb.server.BodyReader.bool;
import static dev.vdb.server.BodyReader.finiteFloat;
import static dev.vdb.server.BodyReader.intIn;
import static dev.vdb.server.BodyReader.nextField;
import static dev.vdb.server.BodyReader.requireEnd;
import static dev.vdb.server.BodyReader.requireObject;
import static dev.vdb.server.BodyReader.string;
import static dev.vdb.server.BodyReader.unknownField;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vdb.engine.FilterStrategy;
import dev.vdb.engine.Fusion;
import dev.vdb.engine.QuantizationParams;
import dev.vdb.engine.SearchParams;
import dev.vdb.engine.SearchRequest;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.search.PointGroups;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the contract's search bodies ({@code /points/search} and its batch) with Jackson's
 * streaming parser into engine {@link SearchRequest}s: a vector, a text or both (hybrid), filter,
 * paging, params, fusion, explain. Unknown fields are a 400 naming the field, prefixed by the
 * search's place in a batch. Thread-safe; allocates the parsed values only.
 */
final class SearchRequestParser {
    /** Results returned by search when the request gives no {@code limit}. */
    static final int DEFAULT_LIMIT = 10;
    /** Largest RRF rank constant accepted; far beyond any useful value, it only bounds the input. */
    static final int MAX_RRF_K = 1_000_000;
    /** Most searches in one batch request. */
    static final int MAX_BATCH = 1_000;

    private final BodyReader reader;

    SearchRequestParser(ObjectMapper mapper) {
        this.reader = new BodyReader(mapper);
    }

    /** A search and the payload keys its hits carry. */
    record ParsedSearch(SearchRequest request, PayloadSelector payload) {}

    /** Qdrant's search groups: the search (its limit the number of groups), the field and the hits per group. */
    record ParsedGroupSearch(ParsedSearch search, String groupBy, int groupSize) {}

    /** Hits per group when a grouped search gives no {@code group_size} (Qdrant's default). */
    static final int DEFAULT_GROUP_SIZE = 3;

    /** The grouping fields of a grouped search, filled while its object is parsed. */
    private static final class GroupFields {
        String groupBy;
        int groupSize = DEFAULT_GROUP_SIZE;
    }

    /**
     * {@code POST /collections/{name}/points/search}: a vector, a text or both (hybrid), with an
     * optional filter, paging, params, fusion and explain.
     */
    ParsedSearch search(InputStream body, CollectionVector collectionVector) throws IOException {
        try (JsonParser p = reader.openObject(body)) {
            ParsedSearch request = searchObject(p, "", collectionVector, null);
            requireEnd(p);
            return request;
        }
    }

    /**
     * {@code POST /collections/{name}/points/search/groups}: a search as {@link #search} takes it
     * (no {@code offset}, no {@code explain}; payloads only when asked, as in Qdrant) with
     * {@code group_by} (required), {@code group_size} (default {@value #DEFAULT_GROUP_SIZE}) and
     * {@code limit} counting groups.
     */
    ParsedGroupSearch searchGroups(InputStream body, CollectionVector collectionVector) throws IOException {
        try (JsonParser p = reader.openObject(body)) {
            GroupFields groups = new GroupFields();
            ParsedSearch search = searchObject(p, "", collectionVector, groups);
            requireEnd(p);
            if (groups.groupBy == null) {
                throw new IllegalArgumentException("group_by is missing (the payload field whose values group the hits)");
            }
            PointGroups.check(groups.groupBy, search.request().limit(), groups.groupSize);
            return new ParsedGroupSearch(search, groups.groupBy, groups.groupSize);
        }
    }

    /**
     * {@code POST /collections/{name}/points/search/batch}: {@code {"searches":[search, ...]}},
     * each search as {@link #search} takes it; errors name the search ({@code searches[2].limit}).
     */
    List<ParsedSearch> searchBatch(InputStream body, CollectionVector collectionVector) throws IOException {
        try (JsonParser p = reader.openObject(body)) {
            List<ParsedSearch> searches = null;
            for (String f; (f = nextField(p)) != null; ) {
                if (!f.equals("searches")) {
                    throw unknownField("", f);
                }
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException("searches must be an array of search requests, got "
                            + BodyReader.describe(p));
                }
                searches = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (searches.size() == MAX_BATCH) {
                        throw new IllegalArgumentException("searches has more than " + MAX_BATCH + " requests");
                    }
                    String at = "searches[" + searches.size() + "]";
                    requireObject(p, at);
                    searches.add(searchObject(p, at + ".", collectionVector, null));
                }
            }
            requireEnd(p);
            if (searches == null) {
                throw new IllegalArgumentException("searches is missing (an array of search requests)");
            }
            return searches;
        }
    }

    /**
     * One search object, the parser on its START_OBJECT; {@code at} prefixes the field names in
     * errors. {@code groups} takes a grouped search's fields (null: they are unknown fields, and
     * so are {@code offset} and {@code explain} when it is not).
     */
    private ParsedSearch searchObject(JsonParser p, String at, CollectionVector collectionVector, GroupFields groups) throws IOException {
        float[] vector = null;
        String text = null;
        Filter filter = null;
        int limit = DEFAULT_LIMIT;
        int offset = 0;
        SearchParams params = SearchParams.DEFAULT;
        Fusion fusion = null;
        PayloadSelector payload = groups == null ? PayloadSelector.ALL : PayloadSelector.NONE; // Qdrant's default for groups
        boolean withVector = false;
        boolean explain = false;
        Float threshold = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "vector" -> vector = p.currentToken() == JsonToken.VALUE_NULL ? null
                        : BodyReader.vector(p, at + "vector", collectionVector);
                case "text" -> text = queryText(p, at);
                case "filter" -> filter = reader.filter(p);
                case "limit" -> limit = intIn(p, at + "limit", 1, SearchRequest.MAX_LIMIT);
                case "offset" -> offset = intIn(p, at + "offset", 0, SearchRequest.MAX_LIMIT);
                case "params" -> params = searchParams(p, at);
                case "fusion" -> fusion = fusion(p, at);
                case "with_payload" -> payload = p.currentToken() == JsonToken.VALUE_NULL ? payload
                        : reader.withPayload(p, at + "with_payload");
                case "with_vector" -> withVector = p.currentToken() != JsonToken.VALUE_NULL
                        && BodyReader.withVector(p, at + "with_vector", collectionVector);
                case "explain" -> explain = bool(p, at + "explain");
                case "score_threshold" -> threshold = p.currentToken() == JsonToken.VALUE_NULL ? null
                        : finiteFloat(p, at + "score_threshold");
                case "group_by" -> grouping(groups, at, f).groupBy = string(p, at + "group_by");
                case "group_size" -> grouping(groups, at, f).groupSize = intIn(p, at + "group_size", 1,
                        PointGroups.MAX_HITS);
                case "with_lookup" -> {
                    grouping(groups, at, f);
                    throw new IllegalArgumentException(at + "with_lookup is not supported: a group's id is the "
                            + "group_by value; look the points up with GET /collections/{name}/points/{id}");
                }
                default -> throw unknownField(at.isEmpty() ? "" : at.substring(0, at.length() - 1), f);
            }
        }
        if (groups != null && (offset != 0 || explain)) {
            throw new IllegalArgumentException(at + (offset != 0 ? "offset" : "explain")
                    + " does not apply to a grouped search");
        }
        if (vector == null && text == null) {
            throw new IllegalArgumentException(at
                    + "vector and text are both missing: give a vector, a text, or both for a hybrid search");
        }
        if (fusion != null && (vector == null || text == null)) {
            throw new IllegalArgumentException(at + "fusion applies only to a hybrid search (vector and text), this one has "
                    + (vector == null ? "only a text" : "only a vector"));
        }
        if (vector != null) {
            int bad = BodyReader.firstNonFinite(vector);
            if (bad >= 0) {
                throw new IllegalArgumentException(at + "vector[" + bad + "] is " + vector[bad]
                        + ", only finite numbers are allowed");
            }
        }
        return new ParsedSearch(SearchRequest.builder().vector(vector).text(text).filter(filter).limit(limit)
                .offset(offset).params(params).fusion(fusion).withPayload(payload.any()).withVector(withVector)
                .explain(explain).scoreThreshold(threshold).build(), payload);
    }

    /** {@code groups}, or an unknown-field error for {@code field} when this is not a grouped search. */
    private static GroupFields grouping(GroupFields groups, String at, String field) {
        if (groups == null) {
            throw unknownField(at.isEmpty() ? "" : at.substring(0, at.length() - 1), field);
        }
        return groups;
    }

    private static String queryText(JsonParser p, String at) throws IOException {
        String text = BodyReader.nullableString(p, at + "text");
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException(at + "text must contain a word to search for, got " + Json.quote(text));
        }
        return text;
    }

    private static SearchParams searchParams(JsonParser p, String at) throws IOException {
        requireObject(p, at + "params");
        int ef = 0;
        boolean exact = false;
        FilterStrategy strategy = FilterStrategy.AUTO;
        QuantizationParams quantization = QuantizationParams.DEFAULT;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "quantization" -> quantization = QuantizationJson.params(p.readValueAsTree(), at);
                case "hnsw_ef" -> ef = intIn(p, at + "params.hnsw_ef", 1, SearchParams.MAX_EF);
                case "exact" -> exact = bool(p, at + "params.exact");
                case "filter_strategy" -> strategy = FilterStrategy.parse(string(p, at + "params.filter_strategy"));
                default -> throw unknownField(at + "params", f);
            }
        }
        return new SearchParams(ef, exact, strategy, quantization);
    }

    /** {@code {"method":"rrf","k":60}} or {@code {"method":"weighted","alpha":0.5}}. */
    private static Fusion fusion(JsonParser p, String at) throws IOException {
        requireObject(p, at + "fusion");
        String method = null;
        Integer k = null;
        Float alpha = null;
        for (String f; (f = nextField(p)) != null; ) {
            switch (f) {
                case "method" -> method = string(p, at + "fusion.method");
                case "k" -> k = intIn(p, at + "fusion.k", 1, MAX_RRF_K);
                case "alpha" -> {
                    float a = finiteFloat(p, at + "fusion.alpha");
                    if (a < 0 || a > 1) {
                        throw new IllegalArgumentException(at + "fusion.alpha must be in 0..1, got " + p.getText());
                    }
                    alpha = a;
                }
                default -> throw unknownField(at + "fusion", f);
            }
        }
        if (method == null) {
            throw new IllegalArgumentException(at + "fusion.method is missing (rrf or weighted)");
        }
        switch (method) {
            case "rrf" -> {
                if (alpha != null) {
                    throw new IllegalArgumentException(at + "fusion.alpha belongs to method 'weighted', not 'rrf' (which takes k)");
                }
                return Fusion.rrf(k == null ? Fusion.DEFAULT_RRF_K : k);
            }
            case "weighted" -> {
                if (k != null) {
                    throw new IllegalArgumentException(at + "fusion.k belongs to method 'rrf', not 'weighted' (which takes alpha)");
                }
                return Fusion.weighted(alpha == null ? Fusion.DEFAULT_ALPHA : alpha);
            }
            default -> throw new IllegalArgumentException(at + "fusion.method must be rrf or weighted, got " + Json.quote(method));
        }
    }
}
