package dev.vdb.engine.payload.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PayloadSchema;
import dev.vdb.engine.PointId;
import dev.vdb.engine.filter.DateTimes;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.GeoPoint;
import dev.vdb.engine.payload.PayloadMatcher;
import dev.vdb.index.Bits;
import dev.vdb.index.OrdinalSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each field index answers exactly what {@link PayloadMatcher} (the definition of a filter)
 * accepts, through many adds, removes and re-adds of the same ordinal (a payload rewritten under
 * a kept ordinal), and again after a snapshot round trip; numeric indexes also visit ordinals in
 * value order as a sort of the model does.
 */
class FieldIndexTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ORDINALS = 3_000;

    private final SplittableRandom random = new SplittableRandom(5);

    @ParameterizedTest
    @EnumSource(PayloadSchema.class)
    void answersEqualTheMatcherThroughChurnAndASnapshot(PayloadSchema schema) throws IOException {
        FieldIndex index = FieldIndex.create("f", schema);
        Map<Integer, ObjectNode> model = new HashMap<>();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < ORDINALS; i++) {
                int ordinal = random.nextInt(ORDINALS);
                if (model.containsKey(ordinal)) {
                    index.remove(ordinal);
                    model.remove(ordinal);
                }
                if (random.nextInt(4) > 0) {
                    ObjectNode payload = payload();
                    index.add(ordinal, payload);
                    model.put(ordinal, payload);
                }
            }
            checkAgainstMatcher(index, model);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        index.writeTo(new DataOutputStream(bytes));
        FieldIndex read = FieldIndex.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(schema, read.schema());
        assertEquals(index.indexedOrdinals(), read.indexedOrdinals());
        checkAgainstMatcher(read, model);
    }

    private void checkAgainstMatcher(FieldIndex index, Map<Integer, ObjectNode> model) {
        int decided = 0;
        for (int c = 0; c < 60; c++) {
            Filter condition = condition();
            if (!index.answers(condition)) {
                continue;
            }
            decided++;
            OrdinalSet answered = index.answer(condition, ORDINALS);
            Bits matcher = index.matcher(condition);
            for (int ordinal = 0; ordinal < ORDINALS + 64; ordinal++) {
                ObjectNode payload = model.get(ordinal);
                boolean expected = payload != null && PayloadMatcher.matches(condition, PointId.of(ordinal), payload);
                if (ordinal < ORDINALS) {
                    assertEquals(expected, answered.get(ordinal), condition + " on ordinal " + ordinal + ": " + payload);
                }
                assertEquals(expected, matcher.get(ordinal), "per point: " + condition + " on ordinal " + ordinal);
            }
        }
        assertTrue(decided > 0, index.schema() + " answered none of 60 conditions");
        if (index instanceof NumericIndex numeric) {
            checkOrder(numeric, model);
        }
    }

    /** Ordinals in value order, one entry per (value, ordinal), as a sort of the model gives them. */
    private static void checkOrder(NumericIndex index, Map<Integer, ObjectNode> model) {
        TreeMap<Double, List<Integer>> byValue = new TreeMap<>();
        boolean datetimes = index.schema() == PayloadSchema.DATETIME;
        model.forEach((ordinal, payload) -> PayloadMatcher.forEachLeaf(payload, "f", leaf -> {
            // a datetime index orders its date-times by microseconds (kept as doubles, as it keeps them)
            Long micros = datetimes && leaf.isTextual() ? DateTimes.parseMicros(leaf.textValue()) : null;
            if (datetimes ? micros != null : leaf.isNumber()) {
                double v = datetimes ? (double) micros : leaf.doubleValue() == 0 ? 0.0 : leaf.doubleValue();
                List<Integer> ordinals = byValue.computeIfAbsent(v, k -> new ArrayList<>());
                if (!ordinals.contains(ordinal)) {
                    ordinals.add(ordinal);
                }
            }
        }));
        List<Integer> expected = new ArrayList<>();
        byValue.values().forEach(list -> list.stream().sorted().forEach(expected::add));
        List<Integer> visited = new ArrayList<>();
        index.forEachInOrder(false, null, (v, o) -> visited.add(o));
        assertEquals(expected, visited);
        List<Integer> descending = new ArrayList<>();
        index.forEachInOrder(true, null, (v, o) -> descending.add(o));
        assertEquals(expected.reversed(), descending);
        // a start and a stop: the first five from the middle value on
        if (!byValue.isEmpty()) {
            double middle = new ArrayList<>(byValue.keySet()).get(byValue.size() / 2);
            List<Integer> fromMiddle = new ArrayList<>();
            byValue.tailMap(middle, true).values().forEach(list -> list.stream().sorted().forEach(fromMiddle::add));
            List<Integer> firstFive = new ArrayList<>();
            index.forEachInOrder(false, middle, (v, o) -> firstFive.add(o) && firstFive.size() < 5);
            assertEquals(fromMiddle.subList(0, Math.min(5, fromMiddle.size())), firstFive);
        }
    }

    /** Strings, integers, decimals, booleans, date-times, geo points, arrays of them, nulls, or nothing at "f". */
    private ObjectNode payload() {
        ObjectNode p = JSON.createObjectNode();
        switch (random.nextInt(13)) {
            case 9 -> p.put("f", dateTime());
            case 10 -> p.putArray("f").add(dateTime()).add(dateTime()).add(random.nextInt(40));
            case 11 -> p.putObject("f").put("lat", random.nextInt(180) - 90).put("lon", (random.nextInt(720) - 360) / 2.0);
            case 12 -> {
                ArrayNode a = p.putArray("f");
                a.addObject().put("lat", random.nextInt(180) - 90).put("lon", (random.nextInt(720) - 360) / 2.0);
                a.addObject().put("lat", 1.5); // half a point
                a.add("v" + random.nextInt(12));
            }
            case 0 -> { }
            case 1 -> p.putNull("f");
            case 2 -> p.put("f", "v" + random.nextInt(12));
            case 3 -> p.put("f", random.nextInt(40) - 20);
            case 4 -> p.put("f", (random.nextInt(400) - 200) / 8.0);
            case 5 -> p.put("f", random.nextBoolean());
            case 6 -> {
                ArrayNode a = p.putArray("f");
                a.add("v" + random.nextInt(12)).add(random.nextInt(40) - 20).add(random.nextBoolean());
            }
            case 7 -> p.putArray("f").add((random.nextInt(400) - 200) / 8.0).add(-0.0).add(random.nextInt(40) - 20);
            default -> p.put("f", random.nextInt(3) == 0 ? -0.0 : 0.0);
        }
        return p;
    }

    /** A date-time of a few days, in Qdrant's forms, or one of two far off (beyond 2^53 µs from 1970). */
    private String dateTime() {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextBoolean() ? "9999-12-31T23:59:59Z" : "0001-01-01";
            case 1 -> "2024-01-0" + (1 + random.nextInt(5));
            case 2 -> "2024-01-0" + (1 + random.nextInt(5)) + " " + (10 + random.nextInt(10)) + ":30";
            default -> "2024-01-0" + (1 + random.nextInt(5)) + "T" + (10 + random.nextInt(10)) + ":00:00+0" + random.nextInt(4) + ":00";
        };
    }

    private Filter condition() {
        return switch (random.nextInt(10)) {
            case 6 -> {
                java.time.Instant from = java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(random.nextInt(5 * 86_400));
                java.time.Instant to = random.nextInt(5) == 0 ? java.time.Instant.parse("9999-12-31T23:59:59Z")
                        : from.plusSeconds(random.nextInt(3 * 86_400));
                yield random.nextBoolean() ? Filter.datetimeRange("f", from, null, to, null)
                        : Filter.datetimeRange("f", null, from, null, to);
            }
            case 7 -> Filter.geoRadius("f", new GeoPoint(random.nextInt(180) - 90, random.nextInt(360) - 180),
                    random.nextInt(5_000_000));
            case 8 -> Filter.geoBoundingBox("f", new GeoPoint(random.nextInt(90), random.nextInt(360) - 180),
                    new GeoPoint(-random.nextInt(90), random.nextInt(360) - 180));
            case 9 -> {
                double lat = random.nextInt(120) - 60;
                double lon = random.nextInt(300) - 150;
                yield Filter.geoPolygon("f", List.of(new GeoPoint(lat, lon), new GeoPoint(lat + 30, lon),
                        new GeoPoint(lat + 30, lon + 30), new GeoPoint(lat, lon)), List.of());
            }
            case 0 -> Filter.match("f", "v" + random.nextInt(14));
            case 1 -> Filter.match("f", (long) random.nextInt(44) - 22);
            case 2 -> Filter.match("f", random.nextBoolean());
            case 3 -> Filter.matchAny("f", List.of("v" + random.nextInt(14), "v" + random.nextInt(14)));
            case 4 -> Filter.matchAny("f", List.of((long) random.nextInt(44) - 22, 0L));
            default -> {
                double a = (random.nextInt(480) - 240) / 8.0;
                double b = a + random.nextInt(200) / 8.0;
                yield random.nextBoolean() ? Filter.range("f", a, null, b, null) : Filter.range("f", null, a, null, b);
            }
        };
    }
}
