package dev.vdb.engine.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@link DateTimes} against java.time's own ISO parsers, form by form. */
class DateTimesTest {

    @Test
    void readsQdrantsFormsAsJavaTimeReadsTheirIsoEquivalents() {
        String[][] same = { // Qdrant's form, then the ISO form java.time parses
            {"2014-01-01T00:00:00Z", "2014-01-01T00:00:00Z"},
            {"2014-01-01t10:49:00z", "2014-01-01T10:49:00Z"},
            {"2014-01-01T10:49:00.5+01:00", "2014-01-01T10:49:00.5+01:00"},
            {"2014-01-01 10:49:00-05:30", "2014-01-01T10:49:00-05:30"},
            {"2014-01-01T10:49:00+0100", "2014-01-01T10:49:00+01:00"},
            {"2014-01-01 10:49:00.123456-03", "2014-01-01T10:49:00.123456-03:00"},
            {"1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"},
        };
        for (String[] pair : same) {
            assertEquals(micros(OffsetDateTime.parse(pair[1]).toInstant()), DateTimes.parseMicros(pair[0]), pair[0]);
        }
        String[][] naive = { // no offset: UTC
            {"2014-01-01T10:49:00", "2014-01-01T10:49:00"},
            {"2014-01-01 10:49:00.25", "2014-01-01T10:49:00.25"},
            {"2014-01-01T10:49", "2014-01-01T10:49"},
            {"2014-01-01 10:49", "2014-01-01T10:49"},
        };
        for (String[] pair : naive) {
            assertEquals(micros(LocalDateTime.parse(pair[1]).toInstant(ZoneOffset.UTC)), DateTimes.parseMicros(pair[0]), pair[0]);
        }
        assertEquals(micros(LocalDate.parse("2014-01-01").atStartOfDay().toInstant(ZoneOffset.UTC)),
                DateTimes.parseMicros("2014-01-01"));
        // digits below a microsecond are dropped, before 1970 too (toward the past)
        assertEquals(micros(Instant.parse("2014-01-01T00:00:00.123456Z")), DateTimes.parseMicros("2014-01-01T00:00:00.123456789Z"));
        assertEquals(-1L, DateTimes.parseMicros("1969-12-31T23:59:59.9999999Z"));
    }

    @Test
    void refusesWhatIsNoDateTime() {
        for (String bad : new String[] {"", "yesterday", "2014-13-01", "2014-02-30", "2014-1-1", "2014-01-01T25:00",
                "2014-01-01T10:49:00+1", "2014-01-01T10:49:00+01:0", "2014-01-01Z", "2014-01-01T10:49Z",
                "2014-01-01T10:49:00.", "2014-01-01T10:49:00.1234567890Z", "2014-01-01X10:49", "12345678901",
                "2014-01-01T10:49:00+01:00 "}) {
            assertNull(DateTimes.parseMicros(bad), bad);
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
