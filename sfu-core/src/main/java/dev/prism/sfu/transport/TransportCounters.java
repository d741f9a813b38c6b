package dev.prism.sfu.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what the media plane dropped, by reason, for metrics and tests. Written from the
 * workers' event loops, read from anywhere.
 */
public final class TransportCounters {
    public final LongAdder stunBadCredentials = new LongAdder();
    public final LongAdder stunMalformed = new LongAdder();
    public final LongAdder stunUnknownUfrag = new LongAdder();
    public final LongAdder unknownSource = new LongAdder();
    public final LongAdder otherDatagrams = new LongAdder();
    public final LongAdder srtpAuthFailures = new LongAdder();
    public final LongAdder srtpReplays = new LongAdder();
    public final LongAdder srtpMalformed = new LongAdder();
    /**
     * Outgoing packets SRTP refused to protect (an AEAD index already used: a retransmission to a
     * subscriber without RTX under GCM would reuse a nonce, RFC 7714 §14.1), not sent.
     */
    public final LongAdder srtpSendRefused = new LongAdder();
    public final LongAdder rtpMalformed = new LongAdder();
    public final LongAdder rtcpMalformed = new LongAdder();
    public final LongAdder mediaBeforeKeys = new LongAdder();
    public final LongAdder dtlsFailures = new LongAdder();
    public final LongAdder consentExpired = new LongAdder();
    public final LongAdder packetsForwarded = new LongAdder();
    public final LongAdder keyframeRequestsSent = new LongAdder();
    /** Keyframe requests (PLI, FIR) received from subscribers. */
    public final LongAdder keyframeRequestsReceived = new LongAdder();
    /** Sequence numbers subscribers NACKed. */
    public final LongAdder nacksReceived = new LongAdder();
    /** Sequence numbers Prism NACKed to publishers. */
    public final LongAdder nacksSent = new LongAdder();
    /** NACKed packets resent from the packet cache. */
    public final LongAdder retransmissionsSent = new LongAdder();
    /** NACKed packets no longer (or never) in the cache. */
    public final LongAdder retransmissionsMissed = new LongAdder();
    /** NACKed packets not resent because they were resent too often already. */
    public final LongAdder retransmissionsCapped = new LongAdder();
    /** NACKed packets not resent because they went out after the NACK arrived (it waited in the queue). */
    public final LongAdder retransmissionsStale = new LongAdder();
    /** Retransmissions (RTX) received from publishers. */
    public final LongAdder retransmissionsReceived = new LongAdder();
    /** Simulcast layer switches made for subscribers. */
    public final LongAdder layerSwitches = new LongAdder();
    /** Bandwidth probes (RTX padding towards the next layer) started for subscribers. */
    public final LongAdder probes = new LongAdder();
    /** Simulcast layers publishers were asked to pause (nobody received them) and to resume. */
    public final LongAdder layersPaused = new LongAdder();
    public final LongAdder layersResumed = new LongAdder();
    /** Errors the media sockets reported: mostly a datagram the kernel refused to send (only that one is lost). */
    public final LongAdder socketErrors = new LongAdder();
    public final LongAdder datagramsIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder datagramsOut = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    /** Completed DTLS handshakes and their total duration (ICE nomination to SRTP keys). */
    public final LongAdder dtlsHandshakes = new LongAdder();
    public final LongAdder dtlsHandshakeNanos = new LongAdder();
    /** DTLS handshakes started and not yet finished (a gauge). */
    public final java.util.concurrent.atomic.AtomicInteger handshakesInProgress = new java.util.concurrent.atomic.AtomicInteger();

    /** Every dropped-input counter added up (what tests of bad input look at). */
    public long droppedTotal() {
        return stunBadCredentials.sum() + stunMalformed.sum() + stunUnknownUfrag.sum() + unknownSource.sum()
                + otherDatagrams.sum() + srtpAuthFailures.sum() + srtpReplays.sum() + srtpMalformed.sum()
                + rtpMalformed.sum() + rtcpMalformed.sum() + mediaBeforeKeys.sum();
    }
}
