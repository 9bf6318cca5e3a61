package dev.vdb.bench.filtered;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One filter of the sweep, on a column of {@code base_meta.tsv}, as written on the command line:
 * {@code FIELD<N} (integer field below N), {@code FIELD=VALUE} (field equal to VALUE),
 * {@code FIELD=$query} (field equal to the query's own value in {@code query_meta.tsv}) or
 * {@code FIELD=$query.COLUMN} (field equal to the query's value in another column, e.g.
 * {@code lexname=$query.other_lexname}; see {@link DerivedColumns} for the columns the bench
 * computes). Immutable.
 *
 * @param value the bound, the value, or for {@link Op#SAME_AS_QUERY} the query column
 */
public record FilterSpec(String field, Op op, String value) {

    public enum Op { NONE, LESS_THAN, EQUALS, SAME_AS_QUERY }

    /** No filter: every row (the sweep's 100% point). */
    public static final FilterSpec NONE = new FilterSpec("", Op.NONE, null);

    private static final Pattern SYNTAX = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\s*(<|=)\\s*(\\S+)");
    private static final String QUERY = "$query";

    /** Parses {@code FIELD<N}, {@code FIELD=VALUE}, {@code FIELD=$query} or {@code FIELD=$query.COLUMN}. */
    public static FilterSpec parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--filter must be FIELD<N, FIELD=VALUE, FIELD=$query or FIELD=$query.COLUMN, got '"
                    + text + "'");
        }
        String field = m.group(1);
        String value = m.group(3);
        if (m.group(2).equals("<")) {
            try {
                Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--filter " + text + ": the bound after '<' must be an integer, got '" + value + "'");
            }
            return new FilterSpec(field, Op.LESS_THAN, value);
        }
        if (value.equals(QUERY)) {
            return new FilterSpec(field, Op.SAME_AS_QUERY, field);
        }
        if (value.startsWith(QUERY + ".") && value.length() > QUERY.length() + 1) {
            return new FilterSpec(field, Op.SAME_AS_QUERY, value.substring(QUERY.length() + 1));
        }
        return new FilterSpec(field, Op.EQUALS, value);
    }

    /** The {@code query_meta.tsv} column a {@link Op#SAME_AS_QUERY} filter takes its value from. */
    public String queryColumn() {
        if (op != Op.SAME_AS_QUERY) {
            throw new IllegalStateException(this + " does not take its value from the query");
        }
        return value;
    }

    /** As written on the command line. */
    @Override
    public String toString() {
        return switch (op) {
            case NONE -> "none";
            case LESS_THAN -> field + "<" + value;
            case EQUALS -> field + "=" + value;
            case SAME_AS_QUERY -> field + "=" + QUERY + (value.equals(field) ? "" : "." + value);
        };
    }

    /** A file-name-safe name, e.g. {@code freq_rank_lt_5000}, {@code lexname_noun.artifact}, {@code same_lexname}. */
    public String fileName() {
        String name = switch (op) {
            case NONE -> "none";
            case LESS_THAN -> field + "_lt_" + value;
            case EQUALS -> field + "_" + value;
            case SAME_AS_QUERY -> value.equals(field) ? "same_" + field : field + "_eq_query_" + value;
        };
        return name.replaceAll("[^A-Za-z0-9_.-]", "_").toLowerCase(Locale.ROOT);
    }

    /**
     * The filter in the engine's (Qdrant-style) JSON, for {@code queryValue} when the filter
     * depends on the query; {@code numeric} says whether the field holds integers.
     */
    public String toJson(String queryValue, boolean numeric) {
        return switch (op) {
            case NONE -> "{}";
            case LESS_THAN -> "{\"must\":[{\"key\":" + quote(field) + ",\"range\":{\"lt\":" + value + "}}]}";
            case EQUALS -> match(value, numeric);
            case SAME_AS_QUERY -> match(queryValue, numeric);
        };
    }

    private String match(String v, boolean numeric) {
        return "{\"must\":[{\"key\":" + quote(field) + ",\"match\":{\"value\":" + (numeric ? v : quote(v)) + "}}]}";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
