package dev.vdb.engine.formula;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.PointId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Formulas against the arithmetic they stand for, computed here, and Qdrant's definitions of its decays. */
class FormulaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PointId ID = PointId.of(7);
    private static final String PAYLOAD = """
            {"price": 12.5, "tags": ["h1", "x"], "rank": 3, "many": [1, 2], "none": null, "name": "a",
             "place": {"lat": 52.52, "lon": 13.405}, "published": "2025-03-01T12:00:00+01:00",
             "offers": [{"p": 1}, {"p": 2}], "offer": [{"p": 4}]}""";

    private static double eval(String formula, String defaults, float... scores) throws Exception {
        return Formula.fromJson(JSON.readTree(formula), defaults == null ? null : JSON.readTree(defaults))
                .score(scores, ID, (ObjectNode) JSON.readTree(PAYLOAD));
    }

    private static double eval(String formula, float... scores) throws Exception {
        return eval(formula, null, scores);
    }

    @Test
    void variablesConditionsAndArithmetic() throws Exception {
        assertEquals(0.8f, eval("\"$score\"", 0.8f), 1e-7);
        assertEquals(0.3f, eval("\"$score[1]\"", 0.8f, 0.3f), 1e-7);
        assertEquals(0, eval("\"$score[1]\"", 0.8f, Float.NaN), "a candidate missing from a prefetch scores 0");
        assertEquals(-1, eval("\"$score[1]\"", "{\"$score[1]\": -1}", 0.8f, Float.NaN), "...or its default");
        assertEquals(12.5, eval("\"price\""));
        assertEquals(4, eval("\"offer.p\""), "through an array of one object");
        assertEquals(4, eval("\"discount\"", "{\"discount\": 4}"));
        // the documented boost: the score plus half for a tag
        assertEquals(0.8f + 0.5, eval("{\"sum\":[\"$score\",{\"mult\":[0.5,{\"key\":\"tags\",\"match\":{\"any\":[\"h1\",\"h2\"]}}]}]}",
                0.8f), 1e-6);
        assertEquals(0.8f, eval("{\"sum\":[\"$score\",{\"mult\":[0.5,{\"key\":\"tags\",\"match\":{\"value\":\"h9\"}}]}]}",
                0.8f), 1e-6);
        assertEquals(12.5 / 3, eval("{\"div\":{\"left\":\"price\",\"right\":\"rank\"}}"), 1e-12);
        assertEquals(9, eval("{\"div\":{\"left\":\"price\",\"right\":0,\"by_zero_default\":9}}"));
        assertEquals(0, eval("{\"div\":{\"left\":0,\"right\":0}}"), "0 divided by anything is 0");
        assertEquals(Math.pow(12.5, 0.5), eval("{\"pow\":{\"base\":\"price\",\"exponent\":0.5}}"), 1e-12);
        assertEquals(Math.sqrt(12.5) - Math.abs(-3) + Math.exp(1) + Math.log10(100) + Math.log(12.5),
                eval("{\"sum\":[{\"sqrt\":\"price\"},{\"neg\":{\"abs\":-3}},{\"exp\":1},{\"log10\":100},{\"ln\":\"price\"}]}"), 1e-12);
        assertEquals(0, eval("{\"mult\":[0,\"no-such-key\"]}"), "a product stops at a zero factor");
    }

    @Test
    void geoDistancesAndDateTimes() throws Exception {
        // Berlin to Potsdam by the spherical law of cosines on the same sphere
        double lat1 = Math.toRadians(52.52);
        double lat2 = Math.toRadians(52.39);
        double cosines = 6_371_008.8 * Math.acos(Math.sin(lat1) * Math.sin(lat2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.cos(Math.toRadians(13.065 - 13.405)));
        assertEquals(cosines, eval("{\"geo_distance\":{\"origin\":{\"lat\":52.39,\"lon\":13.065},\"to\":\"place\"}}"), 1e-3);
        assertEquals(Instant.parse("2025-03-01T11:00:00Z").getEpochSecond(), eval("{\"datetime_key\":\"published\"}"));
        assertEquals(Instant.parse("2024-01-01T00:00:00.5Z").toEpochMilli() / 1000.0,
                eval("{\"datetime\":\"2024-01-01T00:00:00.5Z\"}"), 1e-6);
    }

    @Test
    void decaysAreOneAtTheTargetAndTheMidpointOneScaleAway() throws Exception {
        for (String kind : new String[] {"lin_decay", "exp_decay", "gauss_decay"}) {
            for (double midpoint : new double[] {0.1, 0.5, 0.9}) {
                for (double scale : new double[] {0.5, 2, 86_400}) {
                    String params = ",\"target\":10,\"scale\":" + scale + ",\"midpoint\":" + midpoint + "}}";
                    assertEquals(1, eval("{\"" + kind + "\":{\"x\":10" + params), 1e-12, kind + " at the target");
                    assertEquals(midpoint, eval("{\"" + kind + "\":{\"x\":" + (10 + scale) + params), 1e-9, kind + " one scale above");
                    assertEquals(midpoint, eval("{\"" + kind + "\":{\"x\":" + (10 - scale) + params), 1e-9, kind + " one scale below");
                    double far = eval("{\"" + kind + "\":{\"x\":" + (10 + 3 * scale) + params);
                    assertTrue(far >= 0 && far < midpoint, kind + " decays further: " + far);
                }
            }
        }
        assertEquals(0.5, eval("{\"exp_decay\":{\"x\":1}}"), 1e-12, "defaults: target 0, scale 1, midpoint 0.5");
        assertEquals(0, eval("{\"lin_decay\":{\"x\":5}}"), "linear decay stops at 0");
    }

    @Test
    void badFormulasAndValuesNameTheirPart() {
        String[][] parsing = {
            {"{\"sum\":[1,{\"div\":{\"left\":1}}]}", "formula.sum[1].div.right must be a number, a variable or an expression"},
            {"{\"exp_decay\":{\"x\":1,\"midpoint\":1}}", "formula.exp_decay.midpoint must be within (0, 1), both excluded"},
            {"{\"lin_decay\":{\"x\":1,\"scale\":0}}", "formula.lin_decay.scale must be positive"},
            {"\"$scores\"", "formula must be $score, $score[i] or a payload key"},
            {"{\"datetime\":\"soon\"}", "formula.datetime must be a date-time"},
            {"{\"mult\":[{\"key\":\"tags\",\"match\":{\"vale\":1}}]}", "formula.mult[0].match must have one of value"},
            {"{\"geo_distance\":{\"origin\":{\"lat\":95,\"lon\":0},\"to\":\"place\"}}", "formula.geo_distance.origin: a geo point needs"},
        };
        for (String[] c : parsing) {
            String message = assertThrows(IllegalArgumentException.class, () -> eval(c[0])).getMessage();
            assertTrue(message.startsWith(c[1]), message);
        }
        String[][] evaluating = {
            {"\"missing\"", "formula: 'missing' of point 7 has no value and no default"},
            {"\"many\"", "formula: 'many' of point 7 must be a number, got [1,2]"},
            {"\"offers.p\"", "formula: 'offers.p' of point 7 has 2 values, where the formula takes one"},
            {"\"name\"", "formula: 'name' of point 7 must be a number, got \"a\""},
            {"\"none\"", "formula: 'none' of point 7 must be a number, got null"},
            {"{\"sqrt\":-1}", "formula: sqrt(-1.0) is not a finite number"},
            {"{\"div\":{\"left\":1,\"right\":0}}", "formula: 1.0/0.0 is not a finite number"},
            {"{\"pow\":{\"base\":10,\"exponent\":400}}", "formula: 10.0^400.0 is not a finite number"},
            {"{\"pow\":{\"base\":10,\"exponent\":300}}", "formula: the value for point 7 is 1.0E300, not a finite float"},
            {"{\"geo_distance\":{\"origin\":{\"lat\":0,\"lon\":0},\"to\":\"price\"}}", "formula: 'price' of point 7 must be a geo point"},
        };
        for (String[] c : evaluating) {
            String message = assertThrows(IllegalArgumentException.class, () -> eval(c[0])).getMessage();
            assertTrue(message.startsWith(c[1]), message);
        }
    }
}
