package dev.prism.signaling.negotiation;

import dev.prism.sdp.Direction;
import dev.prism.sdp.MediaKind;
import java.util.List;

/**
 * The outcome for one accepted m= line, from Prism's point of view: {@code direction} is Prism's
 * direction (recvonly for a publish, sendonly for a subscription). {@code ssrcs} are the SSRCs
 * signalled in the offer (the publisher's for a publish, Prism's own for a subscription);
 * {@code rids} the simulcast rids in the publisher's order; stream/track ids from a=msid (null if none).
 */
public record NegotiatedMedia(String mid, MediaKind kind, Direction direction, List<NegotiatedCodec> codecs,
                              ExtensionIds extensions, List<StreamSsrcs> ssrcs, List<String> rids, String streamId,
                              String trackId) {
    public NegotiatedMedia {
        codecs = List.copyOf(codecs);
        ssrcs = List.copyOf(ssrcs);
        rids = List.copyOf(rids);
    }
}
