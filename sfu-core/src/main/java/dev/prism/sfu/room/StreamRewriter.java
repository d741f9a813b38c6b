package dev.prism.sfu.room;

import dev.prism.rtp.RtpPacket;
import dev.prism.rtp.codec.Vp8PayloadDescriptor;
import io.netty.buffer.ByteBuf;

/**
 * Maps source streams into a subscriber's own RTP space (DESIGN.md step 6): its SSRC and
 * payload type, and sequence numbers and timestamps shifted by offsets fixed at the first
 * forwarded packet, so the subscriber sees a continuous stream starting at random values
 * (RFC 3550 §5.1). When the source changes (a simulcast layer switch), the offsets are re-fixed
 * so that sequence numbers follow on without a gap and timestamps advance by the time that
 * passed; for VP8 the picture id and TL0PICIDX (RFC 7741 §4.2) continue likewise, so the
 * decoder sees one stream. The publisher's CSRCs and header extensions are dropped, since their
 * ids were negotiated with the publisher, not with this subscriber; when the subscriber
 * negotiated transport-wide CC, each packet instead carries Prism's own transport-wide sequence
 * number in a one-byte header extension (RFC 8285 §4.2).
 *
 * <p>Frames of a VP8 temporal layer above the subscriber's target are dropped whole
 * ({@link #skip}): the packets after them move down by one sequence number per dropped packet and
 * one picture id per dropped frame, so the subscriber sees neither loss nor a lost frame.
 * TL0PICIDX needs no change, since TID 0 frames are never dropped. Every such change of offsets
 * starts a <i>segment</i>, remembered by the source sequence number it starts at, so that a
 * packet arriving late (reordered, or repaired by the publisher) is rewritten with the offsets
 * of its own place in the stream.
 *
 * <p>Every packet written is recorded in a {@link SentPacketHistory}, so a NACKed output packet
 * is found in the publisher's cache and rewritten exactly as first sent. All of it is
 * preallocated: nothing is allocated per packet.
 */
final class StreamRewriter {
    private final int ssrc;
    private final int payloadType;
    private final int clockRate;
    private final boolean vp8;
    /** Transport-wide sequence number extension id, or -1 for none. */
    private final int transportCcId;
    /** Bytes of the header extension block this rewriter adds (0 or 8). */
    static final int TRANSPORT_CC_EXTENSION_BYTES = 8;
    /** Where the transport-wide sequence number sits in a packet this rewriter wrote. */
    static final int TRANSPORT_SEQ_OFFSET = RtpPacket.FIXED_HEADER_LENGTH + 5;
    private final Vp8PayloadDescriptor descriptor = new Vp8PayloadDescriptor();
    private boolean started;
    private int seqOffset;
    private long timestampOffset;
    private int lastOutputSeq;
    private long lastOutputTimestamp;
    private long lastOutputMillis;
    private boolean reanchor;
    private int pictureIdOffset;
    private int tl0Offset;
    private int lastOutputPictureId = -1;
    private int lastOutputTl0 = -1;
    private boolean reanchorPicture;
    private int source;
    /** Highest source sequence number and picture id seen of the current source (-1: none yet). */
    private int highestSourceSeq = -1;
    private int highestPictureId = -1;
    // Segments (source side), newest at segmentHead: the offsets in force from segmentStart on.
    private static final int SEGMENTS = 64;
    private boolean segmentPending;
    private final int[] segmentStart = new int[SEGMENTS];
    private final int[] segmentSeqOffset = new int[SEGMENTS];
    private final long[] segmentTimestampOffset = new long[SEGMENTS];
    private final int[] segmentPictureIdOffset = new int[SEGMENTS];
    private final int[] segmentTl0Offset = new int[SEGMENTS];
    private final int[] segmentSource = new int[SEGMENTS];
    private int segmentHead = -1;
    private int segmentCount;
    private final SentPacketHistory history = new SentPacketHistory();
    // What rewriteVp8 wrote into the last packet (-1: absent).
    private int writtenPictureId;
    private int writtenTl0;

    StreamRewriter(int ssrc, int payloadType) {
        this(ssrc, payloadType, 90000, false);
    }

    StreamRewriter(int ssrc, int payloadType, int clockRate, boolean vp8) {
        this(ssrc, payloadType, clockRate, vp8, -1);
    }

    StreamRewriter(int ssrc, int payloadType, int clockRate, boolean vp8, int transportCcId) {
        this.transportCcId = transportCcId >= 1 && transportCcId <= 14 ? transportCcId : -1;
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.clockRate = clockRate;
        this.vp8 = vp8;
    }

    /**
     * Reads the fields {@link #write} reads first and last, and the history slot of the next
     * output sequence number (see {@link DownTrack#prefetch}).
     */
    int prefetch() {
        return seqOffset ^ (int) timestampOffset ^ writtenTl0 ^ history.prefetch(lastOutputSeq + 1);
    }

    boolean started() {
        return started;
    }

    /** Fixes the offsets so that ({@code seq}, {@code timestamp}) maps to ({@code firstSeq}, {@code firstTimestamp}). */
    void start(int seq, long timestamp, int firstSeq, long firstTimestamp) {
        seqOffset = firstSeq - seq;
        timestampOffset = (firstTimestamp - timestamp) & 0xFFFFFFFFL;
        started = true;
        newSource();
    }

    /** Tags the packets written from now on with their source (a simulcast layer), for the {@link #history}. */
    void setSource(int source) {
        this.source = source;
    }

    /**
     * After a pause (packets deliberately not forwarded), makes the next written packet follow
     * the last one written, so the subscriber sees no sequence gap to NACK. Timestamps keep
     * their offset: the source clock ran on, and so should the subscriber's.
     */
    void reanchor() {
        reanchor = started;
    }

    /**
     * The next packet comes from another source (simulcast layer) with its own sequence and
     * timestamp spaces: continue the sequence, advance the timestamp by the wall time since the
     * last packet written (at least one tick), and continue VP8 picture ids.
     */
    void switchSource(int seq, long timestamp, long nowMillis) {
        seqOffset = lastOutputSeq + 1 - seq;
        long elapsedTicks = Math.max(1, (nowMillis - lastOutputMillis) * clockRate / 1000);
        timestampOffset = (lastOutputTimestamp + elapsedTicks - timestamp) & 0xFFFFFFFFL;
        reanchor = false;
        reanchorPicture = true;
        newSource();
    }

    /** A new sequence space begins: late packets of the old one have no segment to map them. */
    private void newSource() {
        segmentPending = true;
        segmentCount = 0;
        highestSourceSeq = -1;
        highestPictureId = -1;
    }

    /**
     * A packet of the current source that is deliberately not forwarded (a frame of a temporal
     * layer above the target; whole frames only). The packets after it move down by one sequence
     * number, and by one picture id for each dropped picture, so the subscriber sees a
     * continuous stream. A packet lost before it in the network keeps its gap: it may still be
     * repaired and forwarded. Late (reordered) packets change nothing: their place was counted.
     */
    void skip(int seq, int pictureId, boolean longPictureId) {
        if (!started || reanchor) {
            return; // the next written packet re-fixes the sequence anyway
        }
        if (highestSourceSeq < 0 || isNewer(seq, highestSourceSeq)) {
            highestSourceSeq = seq;
            seqOffset--;
            segmentPending = true;
        }
        int mask = longPictureId ? 0x7FFF : 0x7F;
        if (pictureId >= 0 && (highestPictureId < 0 || isNewerPicture(pictureId, highestPictureId, mask))) {
            highestPictureId = pictureId;
            pictureIdOffset--;
            segmentPending = true;
        }
    }

    private static boolean isNewer(int seq, int than) {
        int d = (seq - than) & 0xFFFF;
        return d != 0 && d < 0x8000;
    }

    private static boolean isNewerPicture(int pid, int than, int mask) {
        int d = (pid - than) & mask;
        return d != 0 && d <= mask >> 1;
    }

    /** Bytes {@link #write} appends for {@code packet}. */
    static int outputLength(ByteBuf packet) {
        return RtpPacket.FIXED_HEADER_LENGTH + packet.writerIndex() - RtpPacket.payloadOffset(packet);
    }

    /** Bytes the header extension adds to every packet written. */
    int extensionBytes() {
        return transportCcId > 0 ? TRANSPORT_CC_EXTENSION_BYTES : 0;
    }

    void write(ByteBuf packet, ByteBuf out) {
        write(packet, out, lastOutputMillis, 0);
    }

    void write(ByteBuf packet, ByteBuf out, long nowMillis) {
        write(packet, out, nowMillis, 0);
    }

    /**
     * Appends the rewritten copy of a validated RTP packet to {@code out}, with
     * {@code transportSeq} in its transport-wide sequence number extension when negotiated.
     * Call after {@link #start}.
     */
    void write(ByteBuf packet, ByteBuf out, long nowMillis, int transportSeq) {
        int payloadOffset = RtpPacket.payloadOffset(packet);
        int payloadBytes = packet.writerIndex() - payloadOffset;
        int seq = RtpPacket.sequenceNumber(packet);
        if (reanchor) {
            seqOffset = lastOutputSeq + 1 - seq;
            reanchor = false;
            segmentPending = true;
            highestSourceSeq = -1;
        }
        // A late packet takes the offsets of its own segment: drops after it moved the current ones.
        int useSeqOffset = seqOffset;
        long useTimestampOffset = timestampOffset;
        int usePictureIdOffset = pictureIdOffset;
        int useTl0Offset = tl0Offset;
        boolean late = highestSourceSeq >= 0 && !isNewer(seq, highestSourceSeq) && seq != highestSourceSeq;
        int segment = late ? segmentOf(seq) : -1;
        if (segment >= 0) {
            useSeqOffset = segmentSeqOffset[segment];
            useTimestampOffset = segmentTimestampOffset[segment];
            usePictureIdOffset = segmentPictureIdOffset[segment];
            useTl0Offset = segmentTl0Offset[segment];
        }
        if (!late) {
            highestSourceSeq = seq;
        }
        int outSeq = (seq + useSeqOffset) & 0xFFFF;
        long outTimestamp = (RtpPacket.timestamp(packet) + useTimestampOffset) & 0xFFFFFFFFL;
        // Sequence order, not arrival order, decides what "last" means (reordering must not rewind).
        if (((outSeq - lastOutputSeq) & 0xFFFF) < 0x8000 || lastOutputMillis == 0) {
            lastOutputSeq = outSeq;
            lastOutputTimestamp = outTimestamp;
            lastOutputMillis = nowMillis;
        }
        int b0 = 0x80 | (packet.getByte(packet.readerIndex()) & 0x20); // V=2, P kept, X=0, CC=0
        int b1 = (RtpPacket.marker(packet) ? 0x80 : 0) | payloadType;
        writeHeader(out, b0, b1, outSeq, outTimestamp, ssrc, transportSeq);
        int payloadIndex = out.writerIndex();
        out.writeBytes(packet, payloadOffset, payloadBytes);
        writtenPictureId = -1;
        writtenTl0 = -1;
        if (vp8) {
            rewriteVp8(out, payloadIndex, payloadBytes, late, usePictureIdOffset, useTl0Offset);
        }
        if (segmentPending && !late) {
            segmentPending = false;
            segmentHead = (segmentHead + 1) % SEGMENTS;
            segmentCount = Math.min(SEGMENTS, segmentCount + 1);
            segmentStart[segmentHead] = seq;
            segmentSeqOffset[segmentHead] = seqOffset;
            segmentTimestampOffset[segmentHead] = timestampOffset;
            segmentPictureIdOffset[segmentHead] = pictureIdOffset;
            segmentTl0Offset[segmentHead] = tl0Offset;
            segmentSource[segmentHead] = source;
        }
        history.record(outSeq, seq, source, outTimestamp, writtenPictureId, writtenTl0, nowMillis);
    }

    /** The newest segment of the current source that a late packet {@code seq} falls in, or -1. */
    private int segmentOf(int seq) {
        for (int i = 0, s = segmentHead; i < segmentCount; i++, s = (s + SEGMENTS - 1) % SEGMENTS) {
            if (segmentSource[s] != source) {
                return -1;
            }
            if (((seq - segmentStart[s]) & 0xFFFF) < 0x8000) {
                return s;
            }
        }
        return -1;
    }

    /** What the packets written were, by output sequence number (for NACKs). */
    SentPacketHistory history() {
        return history;
    }

    /**
     * Appends the packet of history {@code slot} again, rewritten as first sent. With
     * {@code rtxPayloadType} ≥ 0 it goes as RTX (RFC 4588 §4): the RTX SSRC, payload type and
     * sequence number, and the original sequence number in front of the payload.
     */
    void writeRetransmission(ByteBuf packet, ByteBuf out, int slot, int rtxSsrc, int rtxPayloadType, int rtxSeq) {
        writeRetransmission(packet, out, slot, rtxSsrc, rtxPayloadType, rtxSeq, 0);
    }

    void writeRetransmission(ByteBuf packet, ByteBuf out, int slot, int rtxSsrc, int rtxPayloadType, int rtxSeq,
                             int transportSeq) {
        int payloadOffset = RtpPacket.payloadOffset(packet);
        int payloadBytes = packet.writerIndex() - payloadOffset;
        int outSeq = history.outputSequence(slot);
        long outTimestamp = history.timestamp(slot);
        boolean rtx = rtxPayloadType >= 0;
        int start = out.writerIndex();
        int b0 = 0x80 | (packet.getByte(packet.readerIndex()) & 0x20);
        int b1 = (RtpPacket.marker(packet) ? 0x80 : 0) | (rtx ? rtxPayloadType : payloadType);
        writeHeader(out, b0, b1, rtx ? rtxSeq : outSeq, outTimestamp, rtx ? rtxSsrc : ssrc, transportSeq);
        if (rtx) {
            out.writeShort(outSeq);
        }
        int payloadIndex = out.writerIndex();
        out.writeBytes(packet, payloadOffset, payloadBytes);
        if (history.pictureId(slot) >= 0) {
            Vp8PayloadDescriptor.setPictureId(out, payloadIndex, payloadBytes, history.pictureId(slot));
        }
        if (history.tl0(slot) >= 0) {
            Vp8PayloadDescriptor.setTl0PicIdx(out, payloadIndex, payloadBytes, history.tl0(slot));
        }
        assert out.writerIndex() - start == outputLength(packet) + extensionBytes() + (rtx ? 2 : 0);
    }

    /** The fixed header, then the transport-wide sequence number extension when negotiated (X set). */
    private void writeHeader(ByteBuf out, int b0, int b1, int seq, long timestamp, int ssrc, int transportSeq) {
        boolean ext = transportCcId > 0;
        out.writeByte(ext ? b0 | 0x10 : b0).writeByte(b1).writeShort(seq).writeInt((int) timestamp).writeInt(ssrc);
        if (ext) {
            // RFC 8285 §4.2: 0xBEDE, length 1 word; element id/len-1, two bytes of sequence, one byte padding.
            out.writeShort(0xBEDE).writeShort(1).writeByte(transportCcId << 4 | 1).writeShort(transportSeq).writeByte(0);
        }
    }

    /**
     * A padding-only packet (RFC 3550 §5.1) of {@code paddingBytes} (1..255) on the RTX stream, for
     * probing the subscriber's link (RFC 4588 allows RTX packets without an OSN).
     */
    void writePadding(ByteBuf out, int rtxSsrc, int rtxPayloadType, int rtxSeq, int paddingBytes, int transportSeq) {
        writeHeader(out, 0x80 | 0x20, rtxPayloadType, rtxSeq, lastOutputTimestamp, rtxSsrc, transportSeq);
        out.writeZero(paddingBytes - 1);
        out.writeByte(paddingBytes);
    }

    /** Picture id and TL0PICIDX into the subscriber's space (RFC 7741 §4.2); a late packet uses its segment's offsets. */
    private void rewriteVp8(ByteBuf out, int index, int length, boolean late, int pidOffset, int tl0Off) {
        if (descriptor.parse(out, index, length) < 0 || descriptor.pictureId() < 0) {
            return;
        }
        int mask = descriptor.longPictureId() ? 0x7FFF : 0x7F;
        int pid = descriptor.pictureId();
        int tl0 = descriptor.tl0PicIdx();
        if (!late) {
            if (reanchorPicture && lastOutputPictureId >= 0) {
                pictureIdOffset = lastOutputPictureId + 1 - pid;
                if (tl0 >= 0 && lastOutputTl0 >= 0) {
                    tl0Offset = lastOutputTl0 + 1 - tl0;
                }
            }
            reanchorPicture = false;
            pidOffset = pictureIdOffset;
            tl0Off = tl0Offset;
            if (highestPictureId < 0 || isNewerPicture(pid, highestPictureId, mask)) {
                highestPictureId = pid;
            }
        }
        int outPid = (pid + pidOffset) & mask;
        Vp8PayloadDescriptor.setPictureId(out, index, length, outPid);
        writtenPictureId = outPid;
        if (!late) {
            lastOutputPictureId = outPid;
        }
        if (tl0 >= 0) {
            int outTl0 = (tl0 + tl0Off) & 0xFF;
            Vp8PayloadDescriptor.setTl0PicIdx(out, index, length, outTl0);
            writtenTl0 = outTl0;
            if (!late) {
                lastOutputTl0 = outTl0;
            }
        }
    }

    /** A source RTP timestamp in the subscriber's space (for sender reports). */
    long translateTimestamp(long timestamp) {
        return (timestamp + timestampOffset) & 0xFFFFFFFFL;
    }
}
