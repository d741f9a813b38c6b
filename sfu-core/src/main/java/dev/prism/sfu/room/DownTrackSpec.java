package dev.prism.sfu.room;

/** A room track sent to one subscriber: which track, the SSRC Prism sends it with, and the subscriber's payload type. */
public record DownTrackSpec(String trackId, long ssrc, int payloadType) {}
