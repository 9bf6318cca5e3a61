package dev.vdb.engine.write;

import dev.vdb.engine.CollectionConflictException;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.payload.PayloadIndexes;
import dev.vdb.engine.payload.field.FieldIndex;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a collection's payload indexes: builds one from the stored payloads while no write
 * runs (the writer lock), persists the definitions, then publishes it.
 *
 * <p>Thread-safe; allocates the index it builds.
 */
public final class PayloadIndexWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PayloadIndexWriter.class);

    private final String collection;
    private final PointStore store;
    private final CollectionState state;
    private final PointWriter writer;

    public PayloadIndexWriter(String collection, PointStore store, CollectionState state, PointWriter writer) {
        this.collection = collection;
        this.store = store;
        this.state = state;
        this.writer = writer;
    }

    /**
     * Creates the index on {@code field}, or keeps it when it exists with this schema.
     *
     * @throws CollectionConflictException when it exists with another schema
     */
    public void create(String field, PayloadSchema schema) {
        writer.whileNoWriteRuns(() -> {
            FieldIndex existing = state.payloadIndexes().field(field);
            if (existing != null) {
                if (existing.schema() != schema) {
                    throw new CollectionConflictException("collection '" + collection + "' has a "
                            + existing.schema().apiName() + " index on '" + field + "', which differs from the requested "
                            + schema.apiName());
                }
                return null;
            }
            // no write runs while the writer lock is held: what is stored is what is published
            FieldIndex index = FieldIndex.create(field, schema);
            store.forEachDocument((id, ordinal, doc) -> index.add(ordinal, PointCodec.payloadOfDoc(doc)));
            Map<String, PayloadSchema> definitions = new LinkedHashMap<>(state.read(state.payloadIndexes()::schemas));
            definitions.put(field, schema);
            store.states().writePayloadIndexDefinitions(PayloadIndexes.encodeDefinitions(definitions));
            state.publish(() -> state.payloadIndexes().put(index));
            LOG.info("collection '{}': {} index on '{}' built over {} points", collection, schema.apiName(), field,
                    index.indexedOrdinals());
            return null;
        });
    }
}
