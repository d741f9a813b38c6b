package dev.prism.sfu.room;

import dev.prism.rtp.RtpPacket;
import dev.prism.rtp.codec.Vp8PayloadDescriptor;
import io.netty.buffer.ByteBuf;

/**
 * Decides, per VP8 frame, whether a subscriber gets it at its temporal-layer target: frames whose
 * TID (RFC 7741 §4.2) is above the target are dropped whole, which lowers the frame rate and
 * the bitrate without a key frame. The target in force changes only where that is safe: down
 * at any frame boundary (nothing forwarded later depends on the frames no longer sent), up at a
 * TID 0 frame or key frame (later frames of every layer reference only from there on) or, one
 * layer at a time, at a frame with the layer sync bit Y (it references only TID 0).
 *
 * <p>A frame is recognised by its RTP timestamp: the first packet seen of a newer timestamp
 * decides for all of the frame's packets. Packets without a TID count as TID 0 and are always
 * forwarded. Loop thread only; no allocation.
 */
final class Vp8TemporalFilter {
    /** A target that drops nothing (TID is two bits). */
    static final int ALL = dev.prism.sfu.cc.BandwidthAllocator.ALL_TEMPORAL;

    private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
    private int target = ALL;
    private int current = ALL;
    private boolean inFrame;
    private long frameTimestamp;
    private boolean frameForwarded;

    /** The allocator's target: the highest TID to forward (takes effect at a safe frame). */
    void setTarget(int target) {
        this.target = Math.max(0, Math.min(ALL, target));
    }

    int target() {
        return target;
    }

    /** The target in force. */
    int current() {
        return current;
    }

    /** A new source (start, layer switch, resume): the next frame decides afresh. */
    void reset() {
        inFrame = false;
    }

    /**
     * Whether to forward {@code packet} (a VP8 RTP packet of the layer {@code rewriter} is
     * writing); a packet not to forward is {@link StreamRewriter#skip skipped} in the rewriter,
     * so the output closes up behind it.
     */
    boolean accept(ByteBuf packet, boolean keyFrame, StreamRewriter rewriter) {
        if (decide(packet, keyFrame)) {
            return true;
        }
        rewriter.skip(RtpPacket.sequenceNumber(packet), descriptor.pictureId(), descriptor.longPictureId());
        return false;
    }

    private boolean decide(ByteBuf packet, boolean keyFrame) {
        if (descriptor.parse(packet, RtpPacket.payloadOffset(packet), RtpPacket.payloadLength(packet)) < 0) {
            return true; // not ours to judge: the decoder sees what the publisher sent
        }
        int tid = Math.max(0, descriptor.temporalLayer());
        long timestamp = RtpPacket.timestamp(packet);
        if (inFrame && timestamp == frameTimestamp) {
            return frameForwarded;
        }
        if (inFrame && ((timestamp - frameTimestamp) & 0xFFFFFFFFL) >= 0x80000000L) {
            return tid <= current; // a late packet of an earlier frame
        }
        // The first packet seen of a new frame: the boundary where the target may change.
        if (target < current) {
            current = target;
        } else if (target > current) {
            if (tid == 0 || keyFrame) {
                current = target;
            } else if (descriptor.layerSync() && tid > current && tid <= target) {
                current = tid;
            }
        }
        inFrame = true;
        frameTimestamp = timestamp;
        frameForwarded = tid <= current;
        return frameForwarded;
    }
}
