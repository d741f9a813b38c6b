package dev.prism.sdp;

import java.util.List;

/**
 * A whole SDP (RFC 8866) with the session-level WebRTC attributes Prism reads; everything else
 * is kept verbatim in {@code extraLines} and {@code otherAttributes}. Optional values are null,
 * false or empty when absent. {@code timing} is the t= value, e.g. "0 0".
 */
public record SessionDescription(
        Origin origin, String sessionName, List<SdpLine> extraLines, Connection connection,
        List<String> bandwidths, String timing, List<Group> groups, boolean iceLite, String iceUfrag,
        String icePwd, List<Fingerprint> fingerprints, Setup setup, List<Attribute> otherAttributes,
        List<MediaDescription> media) {

    public SessionDescription {
        extraLines = List.copyOf(extraLines);
        bandwidths = List.copyOf(bandwidths);
        groups = List.copyOf(groups);
        fingerprints = List.copyOf(fingerprints);
        otherAttributes = List.copyOf(otherAttributes);
        media = List.copyOf(media);
    }

    /** The first group with these semantics (e.g. "BUNDLE"), or null. */
    public Group group(String semantics) {
        for (Group g : groups) if (g.semantics().equals(semantics)) return g;
        return null;
    }

    /** The m= section with this mid, or null. */
    public MediaDescription mediaByMid(String mid) {
        for (MediaDescription m : media) if (mid.equals(m.mid())) return m;
        return null;
    }

    /** Whether an unknown attribute with this name is present at session level. */
    public boolean hasAttribute(String name) {
        for (Attribute a : otherAttributes) if (a.name().equals(name)) return true;
        return false;
    }

    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(origin, sessionName, extraLines, connection, bandwidths, timing, groups, iceLite,
                iceUfrag, icePwd, fingerprints, setup, otherAttributes, newMedia);
    }
}
