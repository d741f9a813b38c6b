package dev.prism.srtp;

/** Per-SSRC state of one SRTP direction: rollover counter, highest sequence, replay windows, SRTCP index. */
final class SrtpStream {
    final int ssrc;
    boolean rtpStarted;
    int roc;
    int highestSeq;
    /** Receiving: indexes accepted. Sending with an AEAD profile: indexes protected (never twice). */
    final ReplayWindow rtpReplay = new ReplayWindow();
    final ReplayWindow rtcpReplay = new ReplayWindow();
    /** Next SRTCP index to send (31 bits). */
    int nextRtcpIndex;

    SrtpStream(int ssrc) {
        this.ssrc = ssrc;
    }
}
