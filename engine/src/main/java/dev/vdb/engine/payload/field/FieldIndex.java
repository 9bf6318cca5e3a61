package dev.vdb.engine.payload.field;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.filter.Filter;
import dev.vdb.index.Bits;
import dev.vdb.index.OrdinalSet;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.ObjLongConsumer;

/**
 * A payload index on one (dotted) field: the ordinals holding each value, so that a filter
 * condition on the field resolves without reading payloads. One implementation per kind of
 * value, as Qdrant has one per field index type: {@link KeywordIndex}, {@link NumericIndex}
 * (integer, float and datetime), {@link BoolIndex}, {@link GeoIndex}.
 *
 * <p>{@link #answer} returns exactly the ordinals the filter's matcher would accept, or an index
 * says it cannot ({@link #answers} false: a condition on values of another type, {@code except},
 * {@code is_empty}...), and the caller evaluates stored payloads.
 *
 * <p>Not thread-safe: the collection mutates an index under its state write lock and reads it
 * under the read lock (reads may fill caches, which are thread-safe).
 */
public interface FieldIndex {

    /** An empty index of {@code schema} on {@code field}. */
    static FieldIndex create(String field, PayloadSchema schema) {
        return switch (schema) {
            case KEYWORD, UUID -> new KeywordIndex(field, schema);
            case INTEGER, FLOAT, DATETIME -> new NumericIndex(field, schema);
            case BOOL -> new BoolIndex(field);
            case GEO -> new GeoIndex(field);
        };
    }

    /** An index written by {@link #writeTo}. */
    static FieldIndex readFrom(DataInput in) throws IOException {
        String field = in.readUTF();
        PayloadSchema schema = PayloadSchema.parse(in.readUTF());
        FieldIndex index = create(field, schema);
        index.startBulk();
        index.readEntries(in);
        index.finishBulk();
        return index;
    }

    String field();

    PayloadSchema schema();

    /** Indexes {@code ordinal}'s payload (null: none); the ordinal must not be indexed yet. */
    void add(int ordinal, JsonNode payload);

    /** Takes {@code ordinal} out of the index, if it is in. */
    void remove(int ordinal);

    /**
     * For each value this index holds, how many of the ordinals holding it {@code admitted}
     * accepts (every one when null), each ordinal counted once per distinct value, into
     * {@code sink} (values with no admitted ordinal are left out): a keyword as a {@link String},
     * an integer as a {@link Long}, a bool as a {@link Boolean}. Under the state read lock.
     *
     * @throws IllegalArgumentException for a float index (its values are not categories)
     */
    void countValues(Bits admitted, ObjLongConsumer<Object> sink);

    /** Whether this index decides {@code condition} exactly, in {@link #answer} and {@link #matches}. */
    boolean answers(Filter condition);

    /** The ordinals matching {@code condition} (one {@link #answers} admits), in a set sized for {@code capacity}. */
    OrdinalSet answer(Filter condition, int capacity);

    /**
     * Whether an ordinal's indexed values satisfy {@code condition} (one {@link #answers} admits),
     * as a test a filtered traversal calls per node it meets: the condition is read once, and a
     * test allocates nothing. Valid while no write runs (a search holds the state's read side).
     */
    Bits matcher(Filter condition);

    /**
     * Whether {@link #answer} is cheap for {@code condition}: a match reads a few postings; a
     * range is cheap when it spans at most {@code maxValues} distinct values.
     */
    boolean resolvesCheaply(Filter condition, int maxValues);

    /** How many ordinals hold an indexed value. */
    int indexedOrdinals();

    /**
     * Many adds follow (a load): the index may defer reorganising itself until
     * {@link #finishBulk}, and answers nothing meanwhile.
     */
    default void startBulk() {
    }

    /** Ends {@link #startBulk}. */
    default void finishBulk() {
    }

    /** Writes the field, the schema and every ordinal's values (a snapshot). */
    default void writeTo(DataOutput out) throws IOException {
        out.writeUTF(field());
        out.writeUTF(schema().apiName());
        writeEntries(out);
    }

    /** Writes every ordinal's values. */
    void writeEntries(DataOutput out) throws IOException;

    /** Reads what {@link #writeEntries} wrote into this empty index. */
    void readEntries(DataInput in) throws IOException;
}
