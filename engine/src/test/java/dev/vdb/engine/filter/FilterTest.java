package dev.vdb.engine.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import dev.vdb.engine.payload.PayloadMatcher;
import org.junit.jupiter.api.Test;

class FilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PAYLOAD = """
            {"city": "London", "count": 7, "price": 9.5, "ok": true,
             "tags": ["a", "b"], "none": null, "empty": [],
             "address": {"zip": "N1", "geo": [{"lat": 51.5}, {"lat": 48.8}]}}""";

    private static boolean eval(String filter) throws Exception {
        return eval(filter, PointId.of(3));
    }

    private static boolean eval(String filter, PointId id) throws Exception {
        Filter f = FilterParser.parse(JSON.readTree(filter));
        return PayloadMatcher.matches(f, id, (ObjectNode) JSON.readTree(PAYLOAD));
    }

    @Test
    void javaFactoriesMeanWhatTheirJsonFormsMean() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree(PAYLOAD);
        PointId id = PointId.of(3);
        Filter[] built = {
            Filter.must(Filter.match("city", "London"), Filter.match("count", 7), Filter.match("ok", true)),
            Filter.should(Filter.match("city", "Paris"), Filter.range("price", null, 9.0, 10.0, null)),
            Filter.mustNot(Filter.lt("address.geo.lat", 50)),
            Filter.must(Filter.gte("price", 10)),
            Filter.fromJson("{\"must\":[{\"key\":\"tags\",\"match\":{\"any\":[\"z\",\"b\"]}}]}"),
        };
        boolean[] expected = {true, true, false, false, true};
        for (int i = 0; i < built.length; i++) {
            assertEquals(expected[i], PayloadMatcher.matches(built[i], id, payload), "filter " + i + ": " + built[i]);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Filter.fromJson("{\"must\":"));
        assertTrue(bad.getMessage().startsWith("filter is not valid JSON"), bad.getMessage());
    }

    @Test
    void matchValueOnStringsIntegersBooleansAndArrays() throws Exception {
        assertTrue(eval("{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\"London\"}}]}"));
        assertFalse(eval("{\"must\":[{\"key\":\"city\",\"match\":{\"value\":\"london\"}}]}"));
        assertTrue(eval("{\"must\":[{\"key\":\"count\",\"match\":{\"value\":7}}]}"));
        assertTrue(eval("{\"must\":[{\"key\":\"ok\",\"match\":{\"value\":true}}]}"));
        assertFalse(eval("{\"must\":[{\"key\":\"ok\",\"match\":{\"value\":\"true\"}}]}"));
        assertTrue(eval("{\"must\":[{\"key\":\"tags\",\"match\":{\"value\":\"b\"}}]}"));
    }

    @Test
    void anyExceptAndRange() throws Exception {
        assertTrue(eval("{\"must\":[{\"key\":\"city\",\"match\":{\"any\":[\"Paris\",\"London\"]}}]}"));
        assertFalse(eval("{\"must\":[{\"key\":\"city\",\"match\":{\"except\":[\"Paris\",\"London\"]}}]}"));
        assertTrue(eval("{\"must\":[{\"key\":\"tags\",\"match\":{\"except\":[\"a\"]}}]}"));
        assertFalse(eval("{\"must\":[{\"key\":\"missing\",\"match\":{\"except\":[\"a\"]}}]}"));
        assertTrue(eval("{\"must\":[{\"key\":\"price\",\"range\":{\"gt\":9,\"lte\":9.5}}]}"));
        assertFalse(eval("{\"must\":[{\"key\":\"price\",\"range\":{\"lt\":9.5}}]}"));
        assertFalse(eval("{\"must\":[{\"key\":\"city\",\"range\":{\"gte\":0}}]}"));
    }

    @Test
    void dottedKeysWalkNestedObjectsAndArrays() throws Exception {
        assertTrue(eval("{\"must\":[{\"key\":\"address.zip\",\"match\":{\"value\":\"N1\"}}]}"));
        assertTrue(eval("{\"must\":[{\"key\":\"address.geo.lat\",\"range\":{\"lt\":50}}]}"));
        assertFalse(eval("{\"must\":[{\"key\":\"address.geo.lat\",\"range\":{\"lt\":40}}]}"));
    }

    @Test
    void boolCombinationsHasIdAndIsEmpty() throws Exception {
        assertTrue(eval("{}"));
        assertTrue(eval("{\"should\":[{\"key\":\"city\",\"match\":{\"value\":\"Paris\"}},"
                + "{\"has_id\":[3, \"x\"]}]}"));
        assertFalse(eval("{\"should\":[{\"key\":\"city\",\"match\":{\"value\":\"Paris\"}}]}"));
        assertFalse(eval("{\"must_not\":[{\"must\":[{\"key\":\"count\",\"match\":{\"value\":7}}]}]}"));
        assertTrue(eval("{\"must\":[{\"has_id\":[\"x\"]}]}", PointId.of("x")));
        assertFalse(eval("{\"must\":[{\"has_id\":[\"3\"]}]}", PointId.of(3)));
        assertTrue(eval("{\"must\":[{\"is_empty\":{\"key\":\"none\"}},{\"is_empty\":{\"key\":\"empty\"}},"
                + "{\"is_empty\":{\"key\":\"missing\"}}]}"));
        assertFalse(eval("{\"must\":[{\"is_empty\":{\"key\":\"tags\"}}]}"));
    }

    @Test
    void malformedFiltersNameTheOffendingPart() {
        assertEquals("filter.must[0].range.gt must be a finite number, got true",
                assertThrows(IllegalArgumentException.class,
                        () -> eval("{\"must\":[{\"key\":\"p\",\"range\":{\"gt\":true}}]}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> eval("{\"must\":[{\"key\":\"p\",\"range\":{\"gt\":\"x\"}}]}")).getMessage()
                .startsWith("filter.must[0].range.gt must be a date-time like 2014-01-01T00:00:00Z"));
        assertTrue(assertThrows(IllegalArgumentException.class, // one string bound makes every bound a date-time
                () -> eval("{\"must\":[{\"key\":\"p\",\"range\":{\"gt\":\"2020-01-01\",\"lt\":5}}]}")).getMessage()
                .startsWith("filter.must[0].range.lt must be a date-time"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> eval("{\"must\":[{\"key\":\"p\",\"values_count\":{\"gt\":-1}}]}")).getMessage()
                .startsWith("filter.must[0].values_count.gt must be a non-negative integer"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> eval("{\"min_should\":{\"conditions\":[]}}")).getMessage()
                .startsWith("filter.min_should.min_count must be a non-negative integer"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> eval("{\"must\":[{\"nested\":{\"key\":\"diet\",\"filter\":{\"must\":[{\"has_id\":[1]}]}}}]}"))
                .getMessage().startsWith("filter.must[0].nested: nested filter for key 'diet' cannot hold has_id"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> eval("{\"must\":[{\"key\":\"p\",\"match\":{\"value\":1},\"range\":{\"gt\":1}}]}"))
                .getMessage().contains("must have exactly one of match, range, values_count, geo_radius, geo_bounding_box, geo_polygon, is_empty or is_null"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> eval("{\"must\":[{\"key\":\"p\",\"match\":{\"value\":1.5}}]}")).getMessage()
                .startsWith("filter.must[0].match.value must be a string, an integer or a boolean"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> eval("{\"must\":[{\"key\":\"p\",\"mtch\":{\"value\":1}}]}")).getMessage()
                .contains("unknown field 'mtch'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> eval("{\"must\":5}")).getMessage().startsWith("filter.must must be an array"));
        String deep = "{\"must\":[".repeat(40) + "{}" + "]}".repeat(40);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> eval(deep)).getMessage()
                .contains("nests deeper than"));
    }

    @Test
    void everyFactoryEqualsItsJsonForm() {
        String[][] pairs = {
            {"{\"key\":\"tags\",\"match\":{\"any\":[\"a\",\"b\"]}}", "matchAny strings"},
            {"{\"key\":\"n\",\"match\":{\"any\":[1,2]}}", "matchAny longs"},
            {"{\"key\":\"tags\",\"match\":{\"except\":[\"a\"]}}", "matchExcept"},
            {"{\"key\":\"body\",\"match\":{\"text\":\"flow\"}}", "matchText"},
            {"{\"key\":\"n\",\"range\":{\"gt\":1}}", "gt"},
            {"{\"key\":\"n\",\"range\":{\"gte\":1}}", "gte"},
            {"{\"key\":\"n\",\"range\":{\"lt\":1}}", "lt"},
            {"{\"key\":\"n\",\"range\":{\"lte\":1}}", "lte"},
            {"{\"key\":\"n\",\"range\":{\"gte\":1,\"lte\":2}}", "between"},
            {"{\"has_id\":[1,\"x\"]}", "hasId"},
            {"{\"is_empty\":{\"key\":\"tags\"}}", "isEmpty"},
            {"{\"is_null\":{\"key\":\"tags\"}}", "isNull"},
            {"{\"key\":\"at\",\"range\":{\"gt\":\"2020-01-01T00:00:00Z\",\"lte\":\"2020-01-02\"}}", "datetimeRange"},
            {"{\"key\":\"tags\",\"values_count\":{\"gte\":2}}", "valuesCount"},
            {"{\"min_should\":{\"min_count\":1,\"conditions\":[{\"is_null\":{\"key\":\"tags\"}}]}}", "minShould"},
            {"{\"nested\":{\"key\":\"diet\",\"filter\":{\"must\":[{\"is_null\":{\"key\":\"food\"}}]}}}", "nested"},
        };
        Filter[] built = {
            Filter.matchAny("tags", "a", "b"),
            Filter.matchAny("n", 1, 2),
            Filter.matchExcept("tags", "a"),
            Filter.matchText("body", "flow"),
            Filter.gt("n", 1),
            Filter.gte("n", 1),
            Filter.lt("n", 1),
            Filter.lte("n", 1),
            Filter.between("n", 1, 2),
            Filter.hasId(PointId.of(1), PointId.of("x")),
            Filter.isEmpty("tags"),
            Filter.isNull("tags"),
            Filter.datetimeRange("at", java.time.Instant.parse("2020-01-01T00:00:00Z"), null, null,
                    java.time.Instant.parse("2020-01-02T00:00:00Z")),
            Filter.valuesCount("tags", null, 2, null, null),
            Filter.must(Filter.minShould(1, Filter.isNull("tags"))),
            Filter.nested("diet", Filter.must(Filter.isNull("food"))),
        };
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(Filter.fromJson(pairs[i][0]), built[i], pairs[i][1]);
        }
        assertThrows(IllegalArgumentException.class, () -> Filter.range("n", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> Filter.gt("n", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Filter.matchAny("n", java.util.List.of(1.5)));
        assertThrows(IllegalArgumentException.class, () -> Filter.keywordRange("s", null, null, null, null));
    }

    @Test
    void textAnyPhrasePrefixAndFieldLevelEmptinessAsQdrantWithoutATextIndex() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"body\":\"supersonic laminar flow\",\"tags\":[\"x\",\"alpha\"],"
                + "\"n\":5,\"none\":null,\"empty\":[]}");
        PointId id = PointId.of(1);
        Object[][] cases = { // the match object, whether it holds for body
            {"{\"text_any\":\"turbulent  laminar\"}", true}, {"{\"text_any\":\"turbulent wake\"}", false},
            {"{\"text_any\":\"sonic\"}", true}, {"{\"phrase\":\"laminar flow\"}", true},
            {"{\"phrase\":\"flow laminar\"}", false}, {"{\"prefix\":\"super\"}", true}, {"{\"prefix\":\"sonic\"}", false},
        };
        for (Object[] c : cases) {
            Filter f = Filter.fromJson("{\"key\":\"body\",\"match\":" + c[0] + "}");
            assertEquals(c[1], PayloadMatcher.matches(f, id, payload), (String) c[0]);
        }
        assertTrue(PayloadMatcher.matches(Filter.matchPrefix("tags", "al"), id, payload), "any element");
        assertFalse(PayloadMatcher.matches(Filter.matchPrefix("n", "5"), id, payload), "a number is no string");
        assertFalse(PayloadMatcher.matches(Filter.matchTextAny("n", "5"), id, payload));
        // {"key", "is_empty": true/false} and is_null: the conditions and their negations
        String[] keys = {"body", "tags", "none", "empty", "missing"};
        for (String key : keys) {
            boolean empty = PayloadMatcher.matches(Filter.isEmpty(key), id, payload);
            boolean isNull = PayloadMatcher.matches(Filter.isNull(key), id, payload);
            for (boolean flag : new boolean[] {true, false}) {
                assertEquals(empty == flag, PayloadMatcher.matches(
                        Filter.fromJson("{\"key\":\"" + key + "\",\"is_empty\":" + flag + "}"), id, payload), key + " is_empty " + flag);
                assertEquals(isNull == flag, PayloadMatcher.matches(
                        Filter.fromJson("{\"key\":\"" + key + "\",\"is_null\":" + flag + "}"), id, payload), key + " is_null " + flag);
            }
        }
    }

    @Test
    void keywordRangeOrdersStringsAsStringCompareToDoes() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"s\":\"b\",\"n\":5,\"tags\":[\"a\",\"x\"]}");
        PointId id = PointId.of(1);
        String[] bounds = {"", "a", "b", "B", "ba", "c"};
        for (String bound : bounds) {
            int c = "b".compareTo(bound);
            assertEquals(c > 0, PayloadMatcher.matches(Filter.keywordRange("s", bound, null, null, null), id, payload), "gt " + bound);
            assertEquals(c >= 0, PayloadMatcher.matches(Filter.keywordRange("s", null, bound, null, null), id, payload), "gte " + bound);
            assertEquals(c < 0, PayloadMatcher.matches(Filter.keywordRange("s", null, null, bound, null), id, payload), "lt " + bound);
            assertEquals(c <= 0, PayloadMatcher.matches(Filter.keywordRange("s", null, null, null, bound), id, payload), "lte " + bound);
        }
        assertFalse(PayloadMatcher.matches(Filter.keywordRange("n", null, "", null, null), id, payload), "a number is no string");
        assertFalse(PayloadMatcher.matches(Filter.keywordRange("absent", null, "", null, null), id, payload));
        assertTrue(PayloadMatcher.matches(Filter.keywordRange("tags", "w", null, null, null), id, payload), "any element");
    }

    @Test
    void textAndNullConditionsMatchAsTheirNamesSay() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"body\":\"laminar flow\",\"gone\":null,\"tags\":[\"x\",null]}");
        PointId id = PointId.of(1);
        assertTrue(PayloadMatcher.matches(Filter.matchText("body", "flow"), id, payload));
        assertFalse(PayloadMatcher.matches(Filter.matchText("body", "Flow"), id, payload));
        assertTrue(PayloadMatcher.matches(Filter.isNull("gone"), id, payload));
        assertFalse(PayloadMatcher.matches(Filter.isNull("tags"), id, payload), "an array holding null is not null");
        assertFalse(PayloadMatcher.matches(Filter.isNull("body"), id, payload));
        assertFalse(PayloadMatcher.matches(Filter.isNull("absent"), id, payload));
    }

    @Test
    void datetimeRangesCompareInstantsWhateverTheOffsetOrForm() throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"at\":\"2023-02-08T10:49:00+01:00\",\"n\":5,"
                + "\"days\":[\"2020-01-01\",\"2021-06-30 12:00\"],\"bad\":\"soon\"}");
        PointId id = PointId.of(1);
        // 10:49 at +01:00 is 09:49 UTC
        assertTrue(PayloadMatcher.matches(Filter.fromJson("{\"key\":\"at\",\"range\":{\"gte\":\"2023-02-08T09:49:00Z\"}}"), id, payload));
        assertFalse(PayloadMatcher.matches(Filter.fromJson("{\"key\":\"at\",\"range\":{\"gt\":\"2023-02-08 09:49:00\"}}"), id, payload));
        assertTrue(PayloadMatcher.matches(Filter.fromJson("{\"key\":\"at\",\"range\":{\"lt\":\"2023-02-08T09:49:00.000001Z\"}}"), id, payload));
        assertTrue(PayloadMatcher.matches(Filter.fromJson("{\"key\":\"days\",\"range\":{\"gt\":\"2021-06-30T11:59\"}}"), id, payload),
                "any element of an array");
        assertFalse(PayloadMatcher.matches(Filter.fromJson("{\"key\":\"days\",\"range\":{\"gt\":\"2021-06-30T12:00\"}}"), id, payload));
        assertFalse(PayloadMatcher.matches(Filter.fromJson("{\"key\":\"n\",\"range\":{\"gt\":\"1970-01-01\"}}"), id, payload),
                "a number is no date-time");
        assertFalse(PayloadMatcher.matches(Filter.fromJson("{\"key\":\"bad\",\"range\":{\"gt\":\"1970-01-01\"}}"), id, payload));
        assertFalse(PayloadMatcher.matches(Filter.fromJson("{\"key\":\"absent\",\"range\":{\"gt\":\"1970-01-01\"}}"), id, payload));
    }

    @Test
    void valuesCountCountsAsQdrantDoes() throws Exception {
        // tags: 2 values; city: 1; none (null), empty ([]) and missing: 0; address.geo: one array of 2
        Object[][] cases = {
            {"tags", 2}, {"city", 1}, {"none", 0}, {"empty", 0}, {"missing", 0}, {"address.geo", 2}, {"address", 1},
        };
        for (Object[] c : cases) {
            String key = (String) c[0];
            int count = (int) c[1];
            for (int bound = 0; bound <= 3; bound++) {
                assertEquals(count > bound, evalCount(key, "gt", bound), key + " gt " + bound);
                assertEquals(count >= bound, evalCount(key, "gte", bound), key + " gte " + bound);
                assertEquals(count < bound, evalCount(key, "lt", bound), key + " lt " + bound);
                assertEquals(count <= bound, evalCount(key, "lte", bound), key + " lte " + bound);
            }
        }
        // through an array of objects, each object's value counts on its own (Qdrant's multi-values)
        ObjectNode payload = (ObjectNode) JSON.readTree("{\"a\":[{\"b\":[1,2,3]},{\"b\":7}]}");
        assertTrue(PayloadMatcher.matches(Filter.valuesCount("a.b", null, 3, null, null), PointId.of(1), payload));
        assertTrue(PayloadMatcher.matches(Filter.valuesCount("a.b", null, null, null, 1), PointId.of(1), payload));
        assertFalse(PayloadMatcher.matches(Filter.valuesCount("a.b", null, null, null, 0), PointId.of(1), payload));
    }

    private static boolean evalCount(String key, String bound, int value) throws Exception {
        return eval("{\"must\":[{\"key\":\"" + key + "\",\"values_count\":{\"" + bound + "\":" + value + "}}]}");
    }

    @Test
    void minShouldNeedsThatManyOfItsConditions() throws Exception {
        String three = "[{\"key\":\"city\",\"match\":{\"value\":\"London\"}},{\"key\":\"count\",\"match\":{\"value\":8}},"
                + "{\"key\":\"ok\",\"match\":{\"value\":true}}]"; // 2 of these 3 hold
        for (int minCount = 0; minCount <= 4; minCount++) {
            assertEquals(minCount <= 2, eval("{\"min_should\":{\"min_count\":" + minCount + ",\"conditions\":" + three + "}}"),
                    "min_count " + minCount);
        }
        // beside must and should, all of which must hold too
        assertFalse(eval("{\"must\":[{\"key\":\"count\",\"match\":{\"value\":8}}],"
                + "\"min_should\":{\"min_count\":1,\"conditions\":" + three + "}}"));
        assertTrue(eval("{\"should\":[{\"key\":\"count\",\"match\":{\"value\":7}}],"
                + "\"min_should\":{\"min_count\":2,\"conditions\":" + three + "}}"));
    }

    @Test
    void nestedConditionsHoldForOneObjectAtATime() throws Exception {
        // Qdrant's own example: t-rex likes meat, diplodocus likes leaves
        ObjectNode rex = (ObjectNode) JSON.readTree("{\"dinosaur\":\"t-rex\",\"diet\":[{\"food\":\"leaves\",\"likes\":false},"
                + "{\"food\":\"meat\",\"likes\":true}]}");
        ObjectNode diplodocus = (ObjectNode) JSON.readTree("{\"dinosaur\":\"diplodocus\",\"diet\":[{\"food\":\"leaves\","
                + "\"likes\":true},{\"food\":\"meat\",\"likes\":false}]}");
        Filter flat = Filter.fromJson("{\"must\":[{\"key\":\"diet[].food\",\"match\":{\"value\":\"meat\"}},"
                + "{\"key\":\"diet[].likes\",\"match\":{\"value\":true}}]}");
        Filter nested = Filter.fromJson("{\"must\":[{\"nested\":{\"key\":\"diet\",\"filter\":{\"must\":["
                + "{\"key\":\"food\",\"match\":{\"value\":\"meat\"}},{\"key\":\"likes\",\"match\":{\"value\":true}}]}}}]}");
        assertTrue(PayloadMatcher.matches(flat, PointId.of(1), rex));
        assertTrue(PayloadMatcher.matches(flat, PointId.of(2), diplodocus), "any element per condition");
        assertTrue(PayloadMatcher.matches(nested, PointId.of(1), rex));
        assertFalse(PayloadMatcher.matches(nested, PointId.of(2), diplodocus), "one element for the whole filter");
        // must_not inside applies to the element: some element is not meat
        Filter notMeat = Filter.nested("diet", Filter.mustNot(Filter.match("food", "meat")));
        assertTrue(PayloadMatcher.matches(notMeat, PointId.of(1), rex));
        assertFalse(PayloadMatcher.matches(Filter.nested("dinosaur", Filter.must()), PointId.of(1), rex),
                "a string holds no object");
        assertTrue(PayloadMatcher.matches(Filter.nested("diet", Filter.must()), PointId.of(1), rex));
        assertFalse(PayloadMatcher.matches(Filter.nested("absent", Filter.must()), PointId.of(1), rex));
    }
}
