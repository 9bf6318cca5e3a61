package dev.vdb.engine.write;

import dev.vdb.engine.CollectionConflictException;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.payload.PayloadIndexes;
import dev.vdb.engine.payload.field.FieldIndex;
import dev.vdb.engine.state.CollectionState;
import dev.vdb.engine.storage.PointCodec;
import dev.vdb.engine.storage.PointStore;
import dev.vdb.engine.tenant.TenantIndex;
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
     * Creates the index on {@code field}, or keeps it when it exists with this schema; with
     * {@code tenant} (a keyword index only) it is the collection's {@code is_tenant} index:
     * recorded in RocksDB, and {@code tenants} builds the per-tenant graphs before any write
     * runs again, so every write is either in the build or applied to the graphs after it. A
     * keyword index without it becomes one; one per collection.
     *
     * @throws CollectionConflictException when it exists with another schema, or another field
     *     is the tenant field, or it is the tenant field and {@code tenant} is false
     */
    public void create(String field, PayloadSchema schema, boolean tenant, TenantIndex tenants) {
        writer.whileNoWriteRuns(() -> {
            FieldIndex existing = state.payloadIndexes().field(field);
            String tenantField = tenants.field();
            if (existing != null && existing.schema() != schema) {
                throw conflict(field, describe(existing.schema(), field.equals(tenantField)), describe(schema, tenant));
            }
            if (field.equals(tenantField) && !tenant) {
                throw conflict(field, describe(schema, true), describe(schema, false));
            }
            if (tenant && tenantField != null && !field.equals(tenantField)) {
                throw new CollectionConflictException("collection '" + collection + "' already has its is_tenant index on '"
                        + tenantField + "'; a collection has one tenant field, not also '" + field + "'");
            }
            if (existing == null) {
                // no write runs while the writer lock is held: what is stored is what is published
                FieldIndex index = FieldIndex.create(field, schema);
                store.forEachDocument((id, ordinal, doc) -> index.add(ordinal, PointCodec.payloadOfDoc(doc)));
                Map<String, PayloadSchema> definitions = new LinkedHashMap<>(state.read(state.payloadIndexes()::schemas));
                definitions.put(field, schema);
                store.states().writePayloadIndexDefinitions(PayloadIndexes.encodeDefinitions(definitions));
                state.publish(() -> state.payloadIndexes().put(index));
                LOG.info("collection '{}': {} index on '{}' built over {} points", collection, schema.apiName(), field,
                        index.indexedOrdinals());
            }
            if (tenant && tenantField == null) {
                store.states().writeTenantField(field);
                tenants.enable(field);
            }
            return null;
        });
    }

    /**
     * Drops the index on {@code field}, if there is one: while no write runs, the tenant field
     * forgotten first (if it is the {@code is_tenant} index, whose graphs {@code tenants} drops),
     * then the definitions persisted without it, then the index unpublished. A crash in between
     * leaves at most a plain keyword index that a second drop removes. Returns whether there was one.
     */
    public boolean drop(String field, TenantIndex tenants) {
        return writer.whileNoWriteRuns(() -> {
            if (state.read(() -> state.payloadIndexes().field(field)) == null) {
                return false;
            }
            if (field.equals(tenants.field())) {
                store.states().deleteTenantField();
                tenants.disable();
            }
            Map<String, PayloadSchema> definitions = new LinkedHashMap<>(state.read(state.payloadIndexes()::schemas));
            definitions.remove(field);
            store.states().writePayloadIndexDefinitions(PayloadIndexes.encodeDefinitions(definitions));
            state.publish(() -> state.payloadIndexes().drop(field));
            LOG.info("collection '{}': index on '{}' dropped", collection, field);
            return true;
        });
    }

    private CollectionConflictException conflict(String field, String has, String requested) {
        return new CollectionConflictException("collection '" + collection + "' has a " + has + " index on '" + field
                + "', which differs from the requested " + requested);
    }

    private static String describe(PayloadSchema schema, boolean tenant) {
        return schema.apiName() + (tenant ? " (is_tenant)" : "");
    }
}
