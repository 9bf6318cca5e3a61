package dev.vdb.engine.filter;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * The date-times a {@link Filter.DatetimeRange} compares, read as Qdrant reads them: RFC 3339
 * ({@code 2014-01-01T00:00:00Z}, {@code 2014-01-01T10:49:00.5+01:00}), a space for the
 * {@code T}, an offset written {@code +01}, {@code +0100} or {@code +01:00}, and without an
 * offset (UTC): {@code 2014-01-01T10:49:00}, {@code 2014-01-01 10:49}, {@code 2014-01-01}. The
 * {@code T} and {@code Z} may be lower case. Compared as microseconds since the epoch (finer
 * digits are dropped). Stateless and thread-safe.
 */
public final class DateTimes {

    private DateTimes() {}

    /** Microseconds since the epoch of {@code text}, or null when it is not a date-time in those forms. */
    public static Long parseMicros(String text) {
        try {
            return parse(text);
        } catch (DateTimeException | IndexOutOfBoundsException | NumberFormatException e) {
            return null;
        }
    }

    /** Microseconds since the epoch of {@code instant} (null stays null). */
    public static Long micros(Instant instant) {
        if (instant == null) {
            return null;
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static Long parse(String s) {
        if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        LocalDate date = LocalDate.of(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2));
        if (s.length() == 10) {
            return micros(date.atStartOfDay(), ZoneOffset.UTC);
        }
        char t = s.charAt(10);
        if ((t != 'T' && t != 't' && t != ' ') || s.charAt(13) != ':') {
            return null;
        }
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        if (s.length() == 16) {
            return micros(LocalDateTime.of(date, LocalTime.of(hour, minute)), ZoneOffset.UTC);
        }
        if (s.charAt(16) != ':') {
            return null;
        }
        int second = digits(s, 17, 2);
        int at = 19;
        int nanos = 0;
        if (at < s.length() && s.charAt(at) == '.') {
            int from = ++at;
            while (at < s.length() && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (at == from || at - from > 9) {
                return null;
            }
            nanos = Integer.parseInt(s.substring(from, at)) * (int) Math.pow(10, 9 - (at - from));
        }
        ZoneOffset offset = at == s.length() ? ZoneOffset.UTC : offset(s, at);
        if (offset == null) {
            return null;
        }
        return micros(LocalDateTime.of(date, LocalTime.of(hour, minute, second, nanos)), offset);
    }

    /** {@code Z}, {@code ±HH}, {@code ±HHMM} or {@code ±HH:MM} from {@code at} to the end, or null. */
    private static ZoneOffset offset(String s, int at) {
        String rest = s.substring(at);
        if (rest.equals("Z") || rest.equals("z")) {
            return ZoneOffset.UTC;
        }
        char sign = rest.charAt(0);
        if (sign != '+' && sign != '-') {
            return null;
        }
        int hours = digits(rest, 1, 2);
        int minutes = switch (rest.length()) {
            case 3 -> 0;
            case 5 -> digits(rest, 3, 2);
            case 6 -> rest.charAt(3) == ':' ? digits(rest, 4, 2) : -1;
            default -> -1;
        };
        if (minutes < 0 || minutes > 59) {
            return null;
        }
        int sgn = sign == '+' ? 1 : -1;
        return ZoneOffset.ofHoursMinutes(sgn * hours, sgn * minutes);
    }

    private static Long micros(LocalDateTime local, ZoneOffset offset) {
        return micros(local.toInstant(offset));
    }

    /** The non-negative decimal number in {@code s[from, from + count)}, digits only. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a digit at " + i + " of " + s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
