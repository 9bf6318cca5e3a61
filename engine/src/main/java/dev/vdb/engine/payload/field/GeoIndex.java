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
import java.util.function.ObjLongConsumer;

/**
 * A geo index: per ordinal the points at the field ({@code {"lat","lon"}} objects, every one the
 * matcher would test, as latitude-longitude pairs in one {@code double[]}), so that a geo
 * condition is decided in memory, without reading payloads. An answer tests every indexed
 * ordinal (no spatial partitioning: the test is a few arithmetic operations, and a filtered
 * traversal asks per node it visits); {@link #resolvesCheaply} is therefore false.
 *
 * <p>Thread safety as {@link FieldIndex}.
 */
public final class GeoIndex implements FieldIndex {

    private final String field;
    /** Per ordinal: lat0, lon0, lat1, lon1, ..., or null. */
    private double[][] points = new double[0][];
    private int indexedOrdinals;

    GeoIndex(String field) {
        this.field = field;
    }

    @Override
    public String field() {
        return field;
    }

    @Override
    public PayloadSchema schema() {
        return PayloadSchema.GEO;
    }

    @Override
    public void add(int ordinal, JsonNode payload) {
        if (payload == null) {
            return;
        }
        double[][] found = {new double[4]};
        int[] n = {0};
        PayloadMatcher.forEachLeaf(payload, field, leaf -> {
            if (PayloadMatcher.isGeoPoint(leaf)) {
                if (n[0] == found[0].length) {
                    found[0] = Arrays.copyOf(found[0], n[0] * 2);
                }
                found[0][n[0]++] = leaf.get("lat").doubleValue();
                found[0][n[0]++] = leaf.get("lon").doubleValue();
            }
        });
        if (n[0] > 0) {
            put(ordinal, Arrays.copyOf(found[0], n[0]));
        }
    }

    private void put(int ordinal, double[] latLons) {
        if (ordinal >= points.length) {
            points = Arrays.copyOf(points, Math.max(ordinal + 1, Math.max(64, points.length * 2)));
        }
        points[ordinal] = latLons;
        indexedOrdinals++;
    }

    @Override
    public void remove(int ordinal) {
        if (ordinal < points.length && points[ordinal] != null) {
            points[ordinal] = null;
            indexedOrdinals--;
        }
    }

    @Override
    public void countValues(Bits admitted, ObjLongConsumer<Object> sink) {
        throw new IllegalArgumentException("'" + field + "' has a geo index: facets count keyword, integer and bool values");
    }

    @Override
    public boolean answers(Filter condition) {
        return condition instanceof Filter.Geo;
    }

    @Override
    public OrdinalSet answer(Filter condition, int capacity) {
        Bits matches = matcher(condition);
        OrdinalSet out = new OrdinalSet(capacity);
        for (int ordinal = 0; ordinal < points.length; ordinal++) {
            if (matches.get(ordinal)) {
                out.add(ordinal);
            }
        }
        return out;
    }

    @Override
    public Bits matcher(Filter condition) {
        if (!(condition instanceof Filter.Geo shape)) {
            throw new IllegalArgumentException("a geo index does not answer " + condition);
        }
        return ordinal -> {
            double[][] all = points;
            double[] latLons = ordinal < all.length ? all[ordinal] : null;
            if (latLons == null) {
                return false;
            }
            for (int i = 0; i < latLons.length; i += 2) {
                if (shape.contains(latLons[i], latLons[i + 1])) {
                    return true;
                }
            }
            return false;
        };
    }

    @Override
    public boolean resolvesCheaply(Filter condition, int maxValues) {
        return false;
    }

    @Override
    public int indexedOrdinals() {
        return indexedOrdinals;
    }

    @Override
    public void writeEntries(DataOutput out) throws IOException {
        out.writeInt(indexedOrdinals);
        for (int ordinal = 0; ordinal < points.length; ordinal++) {
            double[] latLons = points[ordinal];
            if (latLons != null) {
                out.writeInt(ordinal);
                out.writeInt(latLons.length / 2);
                for (double v : latLons) {
                    out.writeDouble(v);
                }
            }
        }
    }

    @Override
    public void readEntries(DataInput in) throws IOException {
        int ordinals = in.readInt();
        for (int i = 0; i < ordinals; i++) {
            int ordinal = in.readInt();
            int count = in.readInt();
            if (ordinal < 0 || count < 1 || count > 1 << 20) {
                throw new IOException("geo index on '" + field + "': entry " + ordinal + " with " + count + " points");
            }
            double[] latLons = new double[2 * count];
            for (int j = 0; j < latLons.length; j++) {
                latLons[j] = in.readDouble();
            }
            put(ordinal, latLons);
        }
    }
}
