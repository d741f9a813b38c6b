package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyframeRequesterTest {
    @Test
    void requestsWhileOneIsOutstandingAreAbsorbed() {
        KeyframeRequester r = new KeyframeRequester(1);
        assertTrue(r.tryRequest(0, 1000));
        assertTrue(r.isOutstanding(0));
        assertFalse(r.tryRequest(0, 1050));
        assertFalse(r.tryRequest(0, 1600), "still outstanding: the coming key frame serves this one too");
        r.onKeyFrame(0, 1700);
        assertFalse(r.isOutstanding(0));
    }

    @Test
    void anUnansweredRequestIsRepeatedAfterTheRetryTime() {
        KeyframeRequester r = new KeyframeRequester(1);
        assertTrue(r.tryRequest(0, 0));
        assertFalse(r.tryRequest(0, KeyframeRequester.RETRY_MILLIS - 1));
        assertTrue(r.tryRequest(0, KeyframeRequester.RETRY_MILLIS));
    }

    @Test
    void noRequestSoonAfterAKeyFrameEvenAnUnrequestedOne() {
        KeyframeRequester r = new KeyframeRequester(1);
        r.onKeyFrame(0, 10_000);
        assertFalse(r.tryRequest(0, 10_000 + KeyframeRequester.MIN_INTERVAL_MILLIS - 1));
        assertTrue(r.tryRequest(0, 10_000 + KeyframeRequester.MIN_INTERVAL_MILLIS));
    }

    @Test
    void aBurstOfJoinsCostsAKeyFrameAboutEveryIntervalPlusTheEncodersAnswerTime() {
        // Ten subscribers asking every 10 ms for 1.1 s; the encoder answers each PLI 100 ms later.
        // Requests at 0, 600 (100 + 500); the third would be due at 1200.
        assertEquals(2, joinBurst(new KeyframeRequester(1), 10, 0, 1100));
    }

    /**
     * Subscribers joining one track: {@code asking} of them request a key frame every 10 ms until
     * {@code untilMillis}; the encoder answers each request that goes out 100 ms later.
     * Returns the requests that went out.
     */
    private static int joinBurst(KeyframeRequester r, int asking, int receivers, long untilMillis) {
        int sent = 0;
        long answerAt = -1;
        for (long t = 0; t <= untilMillis; t += 10) {
            if (t == answerAt) {
                r.onKeyFrame(0, t);
            }
            for (int i = 0; i < asking; i++) {
                if (r.tryRequest(0, t, receivers)) {
                    sent++;
                    answerAt = t + 100;
                }
            }
        }
        return sent;
    }

    @Test
    void theIntervalGrowsWithTheReceiversOfEveryKeyFrame() {
        assertEquals(KeyframeRequester.MIN_INTERVAL_MILLIS, KeyframeRequester.intervalMillis(0));
        assertEquals(KeyframeRequester.MIN_INTERVAL_MILLIS, KeyframeRequester.intervalMillis(100));
        assertEquals(1000, KeyframeRequester.intervalMillis(200));
        assertEquals(KeyframeRequester.MAX_INTERVAL_MILLIS, KeyframeRequester.intervalMillis(400));
        assertEquals(KeyframeRequester.MAX_INTERVAL_MILLIS, KeyframeRequester.intervalMillis(5_000));

        // The same burst of joins as above, on a track 600 subscribers receive: one request in 2.1 s.
        KeyframeRequester r = new KeyframeRequester(1);
        // Requests at 0 and 2100 (100 + 2000).
        assertEquals(2, joinBurst(r, 10, 600, 2100));
        assertFalse(r.tryRequest(0, 2101, 600));
        assertTrue(new KeyframeRequester(1).tryRequest(0, 0, 600), "a lone request still goes at once");
    }

    @Test
    void layersAreIndependent() {
        KeyframeRequester r = new KeyframeRequester(3);
        assertTrue(r.tryRequest(0, 0));
        assertTrue(r.tryRequest(2, 0));
        assertFalse(r.tryRequest(0, 1));
        r.onKeyFrame(2, 50);
        assertFalse(r.isOutstanding(2));
        assertTrue(r.isOutstanding(0));
    }
}
