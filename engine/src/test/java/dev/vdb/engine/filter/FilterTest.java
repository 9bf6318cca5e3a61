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
        assertEquals("filter.must[0].range.gt must be a finite number, got \"x\"",
                assertThrows(IllegalArgumentException.class,
                        () -> eval("{\"must\":[{\"key\":\"p\",\"range\":{\"gt\":\"x\"}}]}")).getMessage());
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
}
