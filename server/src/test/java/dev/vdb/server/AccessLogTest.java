package dev.vdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class AccessLogTest {

    @Test
    void everyLineReachesTheLoggerInEachThreadsOrderAndCloseWritesTheRest() throws Exception {
        RecordingLogger logger = new RecordingLogger(true);
        AccessLog log = new AccessLog(logger);
        int threads = 4;
        int perThread = 5_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String remote = "10.0.0." + t + ":1";
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    log.record(remote, "POST", "/collections/c/points/search", 200, i, 7);
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
        log.close();

        List<String> lines = logger.lines(Level.INFO);
        assertEquals(threads * perThread, lines.size());
        for (int t = 0; t < threads; t++) {
            String prefix = "10.0.0." + t + ":1 POST /collections/c/points/search 200 ";
            int expected = 0;
            for (String line : lines) {
                if (line.startsWith(prefix)) {
                    assertEquals(prefix + expected + "B 7us", line);
                    expected++;
                }
            }
            assertEquals(perThread, expected, "lines of thread " + t);
        }
        assertTrue(logger.lines(Level.WARN).isEmpty(), logger.lines(Level.WARN).toString());
    }

    @Test
    void linesBeyondTheQueueAreDroppedAndCountedNotWaitedFor() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingLogger logger = new RecordingLogger(true) {
            @Override
            void written(Level level) throws InterruptedException {
                if (level == Level.INFO && writing.getCount() > 0) {
                    writing.countDown();
                    release.await(); // the writer thread stalls, as on a blocked disk
                }
            }
        };
        AccessLog log = new AccessLog(logger);
        log.record("a:1", "GET", "/first", 200, 0, 0);
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        int extra = 37;
        for (int i = 0; i < AccessLog.CAPACITY + extra; i++) {
            log.record("a:1", "GET", "/n", 200, i, 0);
        }
        release.countDown();
        log.close();

        assertEquals(1 + AccessLog.CAPACITY, logger.lines(Level.INFO).size());
        assertEquals(List.of(extra + " access-log lines dropped: the log could not keep up with the requests"),
                logger.lines(Level.WARN));
    }

    @Test
    void withInfoOffNothingIsQueuedOrWritten() {
        RecordingLogger logger = new RecordingLogger(false);
        AccessLog log = new AccessLog(logger);
        log.record("a:1", "GET", "/", 200, 0, 0);
        log.close();
        assertTrue(logger.lines(Level.INFO).isEmpty());
    }

    /** Keeps each formatted message by level. */
    private static class RecordingLogger extends LegacyAbstractLogger {
        private final boolean info;
        private final List<String> infos = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        RecordingLogger(boolean info) {
            this.info = info;
        }

        /** Called on the writing thread after each message. */
        void written(Level level) throws InterruptedException {}

        synchronized List<String> lines(Level level) {
            return List.copyOf(level == Level.WARN ? warnings : infos);
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            synchronized (this) {
                (level == Level.WARN ? warnings : infos).add(message);
            }
            try {
                written(level);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return info;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
