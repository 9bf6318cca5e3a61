package dev.vdb.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link WrkRun#parse} against reports as wrk 4.1 prints them, followed by bash's {@code times}. */
class WrkRunTest {

    private static final String REPORT = """
            Running 10s test @ http://127.0.0.1:41235/collections/load/points/search
              2 threads and 16 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     2.91ms    1.60ms  24.11ms   83.95%
                Req/Sec     2.85k   214.32     3.31k    71.50%
              Latency Distribution
                 50%    2.64ms
                 75%    3.38ms
                 90%    4.45ms
                 99%    8.81ms
              56769 requests in 10.01s, 29.27MB read
              Non-2xx or 3xx responses: 3
              Socket errors: connect 0, read 1, write 0, timeout 2
            Requests/sec:   5671.43
            Transfer/sec:      2.92MB
            0m0.004s 0m0.002s
            0m1.250s 0m3.500s
            """;

    @Test
    void readsCountsLatenciesErrorsAndCpu() {
        WrkRun.Result r = WrkRun.parse(REPORT);
        assertEquals(56769, r.requests());
        assertEquals(10.01, r.seconds(), 1e-9);
        assertEquals(2.64, r.p50Millis(), 1e-9);
        assertEquals(8.81, r.p99Millis(), 1e-9);
        assertEquals(6, r.errors(), "3 non-2xx + 1 read error + 2 timeouts");
        assertEquals(4.75, r.cpuSeconds(), 1e-9, "the children's line of `times`, user + system");
    }

    @Test
    void convertsEveryTimeUnit() {
        String report = REPORT.replace("2.64ms", "950.00us").replace("8.81ms", "1.02s").replace("10.01s", "1.00m")
                .replace("0m1.250s 0m3.500s", "1m2.000s 0m0.500s");
        WrkRun.Result r = WrkRun.parse(report);
        assertEquals(0.95, r.p50Millis(), 1e-9);
        assertEquals(1020, r.p99Millis(), 1e-9);
        assertEquals(60, r.seconds(), 1e-9);
        assertEquals(62.5, r.cpuSeconds(), 1e-9);
    }

    @Test
    void aReportWithoutTotalsIsRefused() {
        assertThrows(IllegalStateException.class, () -> WrkRun.parse("unable to connect to 127.0.0.1:1 Connection refused"));
    }
}
