package dev.prism.signaling.negotiation;

/** One signalled RTP stream: its media SSRC and the RTX SSRC paired by {@code a=ssrc-group:FID} (0 if none). */
public record StreamSsrcs(long ssrc, long rtxSsrc) {}
