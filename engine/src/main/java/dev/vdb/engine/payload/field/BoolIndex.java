package dev.vdb.engine.payload.field;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.payload.PayloadMatcher;
import dev.vdb.index.Bits;
import dev.vdb.index.OrdinalSet;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * A boolean index: per ordinal two flags (holds {@code true}, holds {@code false}: an array
 * holding both sets both), and a bitset per value, kept current by every write.
 *
 * <p>Thread safety as {@link FieldIndex}.
 */
public final class BoolIndex implements FieldIndex {

    private static final byte TRUE = 1;
    private static final byte FALSE = 2;

    private final String field;
    private byte[] flags = new byte[0];
    private final OrdinalSet trues = new OrdinalSet(64);
    private final OrdinalSet falses = new OrdinalSet(64);
    private int indexedOrdinals;

    BoolIndex(String field) {
        this.field = field;
    }

    @Override
    public String field() {
        return field;
    }

    @Override
    public PayloadSchema schema() {
        return PayloadSchema.BOOL;
    }

    @Override
    public void add(int ordinal, JsonNode payload) {
        if (payload == null) {
            return;
        }
        byte[] seen = {0};
        PayloadMatcher.forEachLeaf(payload, field, leaf -> {
            if (leaf.isBoolean()) {
                seen[0] |= leaf.booleanValue() ? TRUE : FALSE;
            }
        });
        put(ordinal, seen[0]);
    }

    private void put(int ordinal, byte value) {
        if (value == 0) {
            return;
        }
        if (ordinal >= flags.length) {
            flags = Arrays.copyOf(flags, Math.max(ordinal + 1, Math.max(64, flags.length * 2)));
        }
        flags[ordinal] = value;
        if ((value & TRUE) != 0) {
            trues.add(ordinal);
        }
        if ((value & FALSE) != 0) {
            falses.add(ordinal);
        }
        indexedOrdinals++;
    }

    @Override
    public void remove(int ordinal) {
        if (ordinal >= flags.length || flags[ordinal] == 0) {
            return;
        }
        flags[ordinal] = 0;
        trues.remove(ordinal);
        falses.remove(ordinal);
        indexedOrdinals--;
    }

    @Override
    public void countValues(Bits admitted, ObjLongConsumer<Object> sink) {
        for (boolean value : new boolean[] {true, false}) {
            OrdinalSet holders = value ? trues : falses;
            long count = 0;
            if (admitted == null) {
                count = holders.cardinality();
            } else {
                for (int ordinal : holders.toArray()) {
                    if (admitted.get(ordinal)) {
                        count++;
                    }
                }
            }
            if (count > 0) {
                sink.accept(value, count);
            }
        }
    }

    @Override
    public boolean answers(Filter condition) {
        return switch (condition) {
            case Filter.MatchValue m -> m.value() instanceof Boolean;
            case Filter.MatchAny m -> m.values().stream().allMatch(v -> v instanceof Boolean);
            default -> false;
        };
    }

    @Override
    public OrdinalSet answer(Filter condition, int capacity) {
        OrdinalSet out = new OrdinalSet(capacity);
        for (Object wanted : wanted(condition)) {
            out.or((Boolean) wanted ? trues : falses);
        }
        return out;
    }

    @Override
    public Bits matcher(Filter condition) {
        byte mask = 0;
        for (Object wanted : wanted(condition)) {
            mask |= (Boolean) wanted ? TRUE : FALSE;
        }
        byte accepted = mask;
        return ordinal -> {
            byte[] f = flags;
            return ordinal < f.length && (f[ordinal] & accepted) != 0;
        };
    }

    private static List<Object> wanted(Filter condition) {
        return switch (condition) {
            case Filter.MatchValue m -> List.of(m.value());
            case Filter.MatchAny m -> m.values();
            default -> throw new IllegalArgumentException("a bool index does not answer " + condition);
        };
    }

    @Override
    public boolean resolvesCheaply(Filter condition, int maxValues) {
        return answers(condition);
    }

    @Override
    public int indexedOrdinals() {
        return indexedOrdinals;
    }

    @Override
    public void writeEntries(DataOutput out) throws IOException {
        out.writeInt(indexedOrdinals);
        for (int ordinal = 0; ordinal < flags.length; ordinal++) {
            if (flags[ordinal] != 0) {
                out.writeInt(ordinal);
                out.writeByte(flags[ordinal]);
            }
        }
    }

    @Override
    public void readEntries(DataInput in) throws IOException {
        int ordinals = in.readInt();
        for (int i = 0; i < ordinals; i++) {
            int ordinal = in.readInt();
            byte value = in.readByte();
            if (ordinal < 0 || value < 1 || value > 3) {
                throw new IOException("bool index on '" + field + "': entry " + ordinal + " = " + value);
            }
            put(ordinal, value);
        }
    }
}
