package dev.vdb.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vdb.engine.QuantizationConfig;
import dev.vdb.engine.QuantizationParams;
import java.io.IOException;
import java.util.Set;

/**
 * Quantization in Qdrant's JSON shape: a collection's {@code quantization_config}
 * ({@code {"scalar":{"type":"int8","quantile":0.99,"always_ram":true}}} or
 * {@code {"binary":{"always_ram":true}}}; {@code "Disabled"} in an update removes it) and a
 * search's {@code params.quantization} ({@code {"ignore":false,"rescore":true,"oversampling":2.0}}).
 * Bad values are a 400 naming the field. Stateless.
 */
final class QuantizationJson {

    private QuantizationJson() {}

    /** A {@code quantization_config} value; null for JSON null or, with {@code disabledAllowed}, {@code "Disabled"}. */
    static QuantizationConfig config(JsonNode v, boolean disabledAllowed) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (disabledAllowed && v.isTextual() && v.asText().equals("Disabled")) {
            return null;
        }
        ObjectNode q = TreeReader.object(v, "quantization_config");
        TreeReader.onlyFields(q, "quantization_config.", Set.of("scalar", "binary", "product"));
        if (q.size() != 1) {
            throw new IllegalArgumentException("quantization_config must hold exactly one of scalar, binary, got "
                    + TreeReader.show(q));
        }
        if (q.has("product")) {
            throw new IllegalArgumentException("quantization_config.product is not supported (scalar int8 and binary are)");
        }
        if (q.has("scalar")) {
            ObjectNode s = TreeReader.object(q.get("scalar"), "quantization_config.scalar");
            TreeReader.onlyFields(s, "quantization_config.scalar.", Set.of("type", "quantile", "always_ram"));
            String type = TreeReader.string(s.get("type"), "quantization_config.scalar.type");
            if (!type.equals("int8")) {
                throw new IllegalArgumentException("quantization_config.scalar.type must be int8, got " + Json.quote(type));
            }
            float quantile = s.has("quantile")
                    ? TreeReader.finiteFloat(s.get("quantile"), "quantization_config.scalar.quantile")
                    : QuantizationConfig.DEFAULT_QUANTILE;
            return new QuantizationConfig.Scalar(quantile, alwaysRam(s, "quantization_config.scalar.always_ram"));
        }
        ObjectNode b = TreeReader.object(q.get("binary"), "quantization_config.binary");
        TreeReader.onlyFields(b, "quantization_config.binary.", Set.of("always_ram"));
        return new QuantizationConfig.Binary(alwaysRam(b, "quantization_config.binary.always_ram"));
    }

    private static boolean alwaysRam(ObjectNode o, String field) {
        JsonNode v = TreeReader.get(o, "always_ram");
        return v == null || TreeReader.bool(v, field);
    }

    /** A search's {@code params.quantization}; {@code at} is the request's path prefix. */
    static QuantizationParams params(JsonNode v, String at) {
        String field = at + "params.quantization";
        ObjectNode q = TreeReader.object(v, field);
        TreeReader.onlyFields(q, field + ".", Set.of("ignore", "rescore", "oversampling"));
        QuantizationParams d = QuantizationParams.DEFAULT;
        boolean ignore = q.has("ignore") ? TreeReader.bool(q.get("ignore"), field + ".ignore") : d.ignore();
        boolean rescore = q.has("rescore") ? TreeReader.bool(q.get("rescore"), field + ".rescore") : d.rescore();
        double oversampling = d.oversampling();
        if (TreeReader.get(q, "oversampling") != null) {
            oversampling = TreeReader.finiteFloat(q.get("oversampling"), field + ".oversampling");
            if (oversampling < 1 || oversampling > QuantizationParams.MAX_OVERSAMPLING) {
                throw new IllegalArgumentException(field + ".oversampling must be in 1..100, got " + q.get("oversampling"));
            }
        }
        return new QuantizationParams(ignore, rescore, oversampling);
    }

    /** Writes {@code quantization_config} as Qdrant reports it (null without quantization). */
    static void write(JsonGenerator g, QuantizationConfig config) throws IOException {
        g.writeFieldName("quantization_config");
        switch (config) {
            case null -> g.writeNull();
            case QuantizationConfig.Scalar s -> {
                g.writeStartObject();
                g.writeObjectFieldStart("scalar");
                g.writeStringField("type", "int8");
                g.writeNumberField("quantile", s.quantile());
                g.writeBooleanField("always_ram", s.alwaysRam());
                g.writeEndObject();
                g.writeEndObject();
            }
            case QuantizationConfig.Binary b -> {
                g.writeStartObject();
                g.writeObjectFieldStart("binary");
                g.writeBooleanField("always_ram", b.alwaysRam());
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }
}
