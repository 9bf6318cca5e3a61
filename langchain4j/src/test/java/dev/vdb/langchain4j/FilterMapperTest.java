package dev.vdb.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.vdb.engine.PointId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The mapped filter against LangChain4j's own meaning of a filter, {@code Filter.test(Metadata)}
 * (what its in-memory store does), on random metadata and random filter trees mixing every
 * condition, value type and missing keys. Pairs where LangChain4j itself throws (a value of
 * another type than the condition's) are left out: there the engine's filter does not match.
 */
class FilterMapperTest {

    private static final String[] KEYS = {"k1", "k2", "k3"};
    private static final UUID U1 = UUID.fromString("3f2b8c1e-1111-4a5b-9c3d-000000000001");
    private static final UUID U2 = UUID.fromString("9a0e7d2c-2222-4b6c-8d4e-000000000002");
    private static final Object[] VALUES = {
        "a", "b", "aa", "A", "a a", "", "Klaus", "Klaus Heisler",
        -1, 0, 1, 2, 42, Integer.MIN_VALUE,
        -1L, 1L, 2L, 42L, Long.MAX_VALUE, 1746714878034235396L,
        0f, 1.1f, 1.2f, 1.23f, 2.0f, -1.1f, Float.MIN_VALUE,
        1.1, 1.23, 2.0, 1.11, -1.1, Double.MIN_VALUE,
        U1, U2,
    };

    private final SplittableRandom random = new SplittableRandom(17);

    @Test
    void mappedFiltersMatchExactlyWhatLangChain4jFiltersMatch() {
        int compared = 0;
        int matched = 0;
        for (int f = 0; f < 3_000; f++) {
            Filter filter = randomFilter(0);
            dev.vdb.engine.filter.Filter mapped = FilterMapper.map(filter);
            for (int m = 0; m < 12; m++) {
                Metadata metadata = randomMetadata();
                Boolean expected = langChain4jMeaning(filter, metadata);
                if (expected == null) {
                    continue;
                }
                boolean actual = mapped.matches(PointId.of(1), MetadataPayload.toPayload(metadata));
                assertEquals(expected, actual, () -> filter + " on " + metadata);
                compared++;
                matched += expected ? 1 : 0;
            }
        }
        assertTrue(compared > 10_000 && matched > compared / 20 && matched < compared * 19 / 20,
                "compared " + compared + ", matched " + matched);
    }

    @Test
    void valuesWithoutMeaningAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FilterMapper.map(new IsEqualTo("when", java.time.LocalDate.of(2024, 1, 1))));
        assertTrue(e.getMessage().contains("'when'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FilterMapper.map(new IsGreaterThan("id", U1)));
        assertTrue(e.getMessage().contains("'id'") && e.getMessage().contains(U1.toString()), e.getMessage());
    }

    /** LangChain4j's verdict, or null when it refuses the pair (type mismatch). */
    private static Boolean langChain4jMeaning(Filter filter, Metadata metadata) {
        try {
            return filter.test(metadata);
        } catch (IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    private Metadata randomMetadata() {
        Metadata metadata = new Metadata();
        for (String key : KEYS) {
            if (random.nextInt(4) > 0) {
                put(metadata, key, value());
            }
        }
        return metadata;
    }

    private static void put(Metadata metadata, String key, Object value) {
        switch (value) {
            case String s -> metadata.put(key, s);
            case UUID u -> metadata.put(key, u);
            case Integer i -> metadata.put(key, i);
            case Long l -> metadata.put(key, l);
            case Float x -> metadata.put(key, x);
            case Double d -> metadata.put(key, d);
            default -> throw new AssertionError(value);
        }
    }

    private Object value() {
        return VALUES[random.nextInt(VALUES.length)];
    }

    /** A value that can be ordered: anything but a UUID. */
    private Comparable<?> comparable() {
        Object v = value();
        return v instanceof UUID ? "b" : (Comparable<?>) v;
    }

    private Filter randomFilter(int depth) {
        if (depth < 3 && random.nextInt(3) == 0) {
            return switch (random.nextInt(3)) {
                case 0 -> Filter.and(randomFilter(depth + 1), randomFilter(depth + 1));
                case 1 -> Filter.or(randomFilter(depth + 1), randomFilter(depth + 1));
                default -> Filter.not(randomFilter(depth + 1));
            };
        }
        String key = KEYS[random.nextInt(KEYS.length)];
        return switch (random.nextInt(9)) {
            case 0 -> new IsEqualTo(key, value());
            case 1 -> new IsNotEqualTo(key, value());
            case 2 -> new IsGreaterThan(key, comparable());
            case 3 -> new IsGreaterThanOrEqualTo(key, comparable());
            case 4 -> new IsLessThan(key, comparable());
            case 5 -> new IsLessThanOrEqualTo(key, comparable());
            case 6 -> new IsIn(key, values());
            case 7 -> new IsNotIn(key, values());
            default -> new ContainsString(key, List.of("a", "", "Klaus", " ", "b").get(random.nextInt(5)));
        };
    }

    /** One to three values of one kind (LangChain4j compares a list by its first value's type). */
    private List<Object> values() {
        Object first = value();
        List<Object> out = new ArrayList<>(List.of(first));
        for (int i = random.nextInt(3); i > 0; i--) {
            Object next = value();
            if (next.getClass() == first.getClass() || (next instanceof Number && first instanceof Number)) {
                out.add(next);
            }
        }
        return out;
    }
}
