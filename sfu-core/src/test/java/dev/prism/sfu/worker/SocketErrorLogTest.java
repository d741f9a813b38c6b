package dev.prism.sfu.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A peer the kernel refuses every datagram to logs one line per 10 s, with the count since the last. */
class SocketErrorLogTest {
    @Test
    void atMostOneLinePerIntervalWithTheCountSinceTheLast() {
        Logger logger = Logger.getLogger(MediaWorker.class.getName());
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            SocketErrorLog log = new SocketErrorLog(3);
            IOException eperm = new IOException("sendmsg(..) failed: Operation not permitted");
            long t = 1_000_000_000L;
            log.record(eperm, t);
            for (int i = 1; i <= 99; i++) {
                log.record(eperm, t + i * 1_000_000L); // 99 more within 0.1 s
            }
            assertEquals(1, lines.size(), "the first error is logged, the next 99 are not: " + lines);
            assertTrue(lines.get(0).startsWith("media worker 3 socket error (1 since"), lines.get(0));
            log.record(eperm, t + SocketErrorLog.INTERVAL_NANOS);
            assertEquals(2, lines.size());
            assertTrue(lines.get(1).contains("(100 since the last such line") && lines.get(1).endsWith("Operation not permitted"),
                    lines.get(1));
        } finally {
            logger.removeHandler(capture);
        }
    }
}
