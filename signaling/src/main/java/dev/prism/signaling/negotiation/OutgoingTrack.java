package dev.prism.signaling.negotiation;

import dev.prism.sdp.MediaKind;

/** A room track sent to a subscriber: ids for a=msid, its codec, and the SSRCs Prism sends it with (rtxSsrc 0 if none). */
public record OutgoingTrack(String trackId, String streamId, MediaKind kind, Codec codec, long ssrc, long rtxSsrc,
                            String cname) {}
