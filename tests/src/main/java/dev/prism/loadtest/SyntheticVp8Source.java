package dev.prism.loadtest;

import io.netty.buffer.ByteBuf;

/**
 * VP8-shaped frames for a synthetic publisher, cut into RTP payloads with valid RFC 7741 payload
 * descriptors. Nothing here is decodable video, but everything an SFU looks at is right:
 * <pre>
 * descriptor (6 bytes): |X=1|R|N=0|S|R|PID=0|  |I=1|L=1|T=1|K=0|...|  |M=1| picture id (15 bits) |
 *                       |  TL0PICIDX  |  |TID=0|Y=1|KEYIDX=0|
 * first packet of a frame: the VP8 frame header, 10 bytes on a key frame (frame tag with P=0,
 *   start code 9d 01 2a, the layer's width x height), 3 bytes otherwise (frame tag with P=1)
 * then the {@link PayloadStamp} (12 bytes), then filler up to the packet's share of the frame.
 * </pre>
 * Frame sizes follow the bitrate: {@code bitrate / 8 / fps} bytes, three times that for a key frame.
 * Every frame is in temporal layer 0, so TL0PICIDX counts frames (RFC 7741 §4.2); picture id and
 * TL0PICIDX are this stream's own sequences, as a simulcast encoder keeps them per layer.
 * One instance per stream, used on one thread.
 */
final class SyntheticVp8Source {
    static final int DESCRIPTOR_LENGTH = 6;
    static final int KEY_HEADER_LENGTH = 10;
    static final int DELTA_HEADER_LENGTH = 3;
    static final int KEY_FRAME_FACTOR = 3;
    /** Lowest bitrate a layer is given (a 150 kbit/s layer of a tiny --video-bitrate). */
    static final int MIN_BITRATE = 16_000;

    private final int frameBytes;
    private final int maxPayload;
    private final int width;
    private final int height;
    private int pictureId;
    private int tl0PicIdx;
    private boolean keyFrame;
    private int packets;
    private int bytesPerPacket;
    private long frames;
    private volatile long keyFrames; // read by the progress line on another thread

    /**
     * @param bitrate    target video bitrate in bits per second (payload bytes)
     * @param fps        frames per second
     * @param maxPayload the largest RTP payload to produce (descriptor included)
     * @param width      frame width written into key frame headers (what an SFU reads as the layer's size)
     */
    SyntheticVp8Source(int bitrate, int fps, int maxPayload, int firstPictureId, int width, int height) {
        if (maxPayload < DESCRIPTOR_LENGTH + KEY_HEADER_LENGTH + PayloadStamp.LENGTH) {
            throw new IllegalArgumentException("maxPayload too small: " + maxPayload);
        }
        this.frameBytes = Math.max(1, bitrate / 8 / fps);
        this.maxPayload = maxPayload;
        this.pictureId = firstPictureId & 0x7FFF;
        this.tl0PicIdx = (firstPictureId >>> 16) & 0xFF;
        this.width = width & 0x3FFF;
        this.height = height & 0x3FFF;
    }

    /** Starts the next frame: a key frame when {@code key}. Returns the number of packets it takes. */
    int startFrame(boolean key) {
        pictureId = (pictureId + 1) & 0x7FFF;
        tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
        keyFrame = key;
        frames++;
        if (key) {
            keyFrames++;
        }
        int size = key ? frameBytes * KEY_FRAME_FACTOR : frameBytes;
        int room = maxPayload - DESCRIPTOR_LENGTH - PayloadStamp.LENGTH;
        packets = Math.max(1, (size + room - 1) / room);
        bytesPerPacket = Math.max(0, Math.min(room, size / packets));
        return packets;
    }

    boolean keyFrame() {
        return keyFrame;
    }

    int pictureId() {
        return pictureId;
    }

    long frames() {
        return frames;
    }

    long keyFrames() {
        return keyFrames;
    }

    /** Appends payload {@code index} (0-based) of the current frame; the last one carries the RTP marker. */
    void writePayload(ByteBuf out, int index, long sendNanos, int marker) {
        boolean first = index == 0;
        out.writeByte(0x80 | (first ? 0x10 : 0)); // X, S on the first packet, PID 0
        out.writeByte(0xE0); // I, L, T: picture id, TL0PICIDX and TID present
        out.writeShort(0x8000 | pictureId); // M: 15-bit picture id
        out.writeByte(tl0PicIdx);
        out.writeByte(0x20); // TID 0, Y (layer sync), KEYIDX 0
        int header = 0;
        if (first) {
            int firstPartition = Math.min(bytesPerPacket, 0x7FFFF);
            int tag = (keyFrame ? 0 : 1) | (1 << 4) | (firstPartition << 5); // P, version 0, show_frame
            out.writeByte(tag).writeByte(tag >>> 8).writeByte(tag >>> 16);
            header = DELTA_HEADER_LENGTH;
            if (keyFrame) {
                out.writeByte(0x9d).writeByte(0x01).writeByte(0x2a);
                out.writeShortLE(width).writeShortLE(height);
                header = KEY_HEADER_LENGTH;
            }
        }
        PayloadStamp.write(out, sendNanos, marker);
        out.writeZero(Math.max(0, bytesPerPacket - header));
    }

    /**
     * Where the {@link PayloadStamp} starts in a VP8 payload written by this class (after the SFU
     * rewrote it: the descriptor keeps its length), or -1 when the payload is not one of ours.
     */
    static int stampOffset(ByteBuf buf, int payloadIndex, int payloadLength) {
        int n = dev.prism.rtp.codec.Vp8PayloadDescriptor.descriptorLength(buf, payloadIndex, payloadLength);
        if (n <= 0) {
            return -1;
        }
        int b = buf.getUnsignedByte(payloadIndex);
        boolean startOfFrame = (b & 0x10) != 0 && (b & 0x07) == 0;
        int at = payloadIndex + n;
        if (startOfFrame) {
            if (n >= payloadLength) {
                return -1;
            }
            at += (buf.getByte(at) & 0x01) == 0 ? KEY_HEADER_LENGTH : DELTA_HEADER_LENGTH;
        }
        return at + PayloadStamp.LENGTH <= payloadIndex + payloadLength ? at : -1;
    }
}
