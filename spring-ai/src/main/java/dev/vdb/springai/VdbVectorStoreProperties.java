package dev.vdb.springai;

import dev.vdb.engine.Distance;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code vdb.*} settings of the auto-configured {@link VdbVectorStore}:
 *
 * <pre>
 * vdb.path=data                # the database directory (created if missing)
 * vdb.collection=spring_ai     # the collection (created if missing)
 * vdb.dimension=384            # optional: the embedding model's dimensions() by default
 * vdb.distance=cosine          # cosine, dot or euclid, to create the collection with
 * vdb.embedding-model=sentence-transformers/all-MiniLM-L6-v2
 *                              # optional: embed with vdb's built-in in-process model
 *                              # (needs vdb-embed on the classpath, and no other EmbeddingModel)
 * </pre>
 *
 * Mutable bean, bound once at start-up; not thread-safe.
 */
@ConfigurationProperties(prefix = VdbVectorStoreProperties.PREFIX)
public class VdbVectorStoreProperties {

    public static final String PREFIX = "vdb";

    private String path = "data";
    private String collection = VdbVectorStore.DEFAULT_COLLECTION;
    private Integer dimension;
    private Distance distance = Distance.COSINE;
    private String embeddingModel;

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getCollection() {
        return collection;
    }

    public void setCollection(String collection) {
        this.collection = collection;
    }

    public Integer getDimension() {
        return dimension;
    }

    public void setDimension(Integer dimension) {
        this.dimension = dimension;
    }

    public Distance getDistance() {
        return distance;
    }

    public void setDistance(Distance distance) {
        this.distance = distance;
    }

    public String getEmbeddingModel() {
        return embeddingModel;
    }

    public void setEmbeddingModel(String embeddingModel) {
        this.embeddingModel = embeddingModel;
    }
}
