package dev.prism.sfu.room;

import dev.prism.rtp.AudioLevel;
import dev.prism.rtp.RtpPacket;
import dev.prism.sfu.audio.ActiveSpeakerDetector;
import dev.prism.sfu.transport.PeerTransport;
import io.netty.buffer.ByteBuf;

/**
 * The room's dominant speaker: published audio tracks that carry the RFC 6464 audio-level
 * extension each get a slot in an {@link ActiveSpeakerDetector}; their levels are fed from the
 * packet path, and the room's timer asks for a decision. Loop thread only, except
 * {@link #current()}, which the control plane reads.
 */
final class SpeakerTracker {
    static final int MAX_SOURCES = 256;

    private final ActiveSpeakerDetector detector = new ActiveSpeakerDetector(MAX_SOURCES);
    private final PublishedTrack[] slots = new PublishedTrack[MAX_SOURCES];
    private PeerTransport owner;
    private volatile Room.ActiveSpeaker current;

    /** Gives an audio track with levels a slot (beyond MAX_SOURCES tracks, later ones are not tracked). */
    void add(PublishedTrack audio) {
        if (audio.spec.isVideo() || audio.spec.audioLevelExtId() <= 0) {
            return;
        }
        for (int slot = 0; slot < MAX_SOURCES; slot++) {
            if (slots[slot] == null) {
                slots[slot] = audio;
                audio.speakerSlot = slot;
                detector.add(slot);
                return;
            }
        }
    }

    void remove(PublishedTrack track) {
        if (track.speakerSlot >= 0) {
            detector.remove(track.speakerSlot);
            slots[track.speakerSlot] = null;
        }
    }

    /** An RTP packet of {@code track}: its audio level, if it is a tracked audio track and carries one. */
    void onPacket(PublishedTrack track, ByteBuf packet, long nowMillis) {
        if (track.speakerSlot >= 0) {
            int at = RtpPacket.findExtension(packet, track.spec.audioLevelExtId());
            if (at >= 0) {
                detector.onLevel(track.speakerSlot, AudioLevel.level(packet, at), nowMillis);
            }
        }
    }

    /** Decides now; returns the audio track that just became the dominant speaker, else null. */
    PublishedTrack decide(long nowMillis) {
        int changed = detector.decide(nowMillis);
        if (changed >= 0 && slots[changed] != null) {
            PublishedTrack audio = slots[changed];
            owner = audio.owner;
            current = new Room.ActiveSpeaker(audio.owner.id(), audio.spec);
            return audio;
        }
        if (detector.speaker() < 0) {
            owner = null;
            current = null;
        }
        return null;
    }

    /** The transport of the dominant speaker, or null (the allocators serve its tracks first). */
    PeerTransport owner() {
        return owner;
    }

    Room.ActiveSpeaker current() {
        return current;
    }
}
