package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * VP8 payload descriptor (RFC 7741 §4.2), parsed in place:
 * <pre>
 *      0 1 2 3 4 5 6 7
 *     |X|R|N|S|R| PID |  required
 *  X: |I|L|T|K| RSV   |
 *  I: |M| PictureID   |  (second PictureID octet when M=1: 15-bit id)
 *  L: |   TL0PICIDX   |
 *  T/K: |TID|Y| KEYIDX|
 * </pre>
 * A reusable view: {@link #parse} fills primitive fields, so one instance per stream serves
 * every packet without allocation. Fields absent from the descriptor read as -1.
 */
public final class Vp8PayloadDescriptor {
    /** The descriptor is cut short by the end of the payload. */
    public static final int ERR_TRUNCATED = -1;
    /** No bytes at all. */
    public static final int ERR_EMPTY = -2;
    /** The field to rewrite is not in this descriptor. */
    public static final int ERR_ABSENT = -3;

    private int length;
    private boolean extended;
    private boolean nonReference;
    private boolean startOfPartition;
    private int partitionIndex;
    private int pictureId;
    private boolean longPictureId;
    private int tl0PicIdx;
    private int tid;
    private boolean layerSync;
    private int keyIdx;
    private boolean keyFrame;

    /**
     * Parses the descriptor at {@code index} in a payload of {@code length} bytes. Returns the
     * descriptor length (the VP8 payload follows) or a negative ERR_ code; never throws for
     * indices inside the buffer.
     */
    public int parse(ByteBuf buf, int index, int length) {
        this.length = 0;
        pictureId = -1;
        longPictureId = false;
        tl0PicIdx = -1;
        tid = -1;
        layerSync = false;
        keyIdx = -1;
        keyFrame = false;
        if (length <= 0) {
            return ERR_EMPTY;
        }
        int end = index + length;
        int p = index;
        int b = buf.getUnsignedByte(p++);
        extended = (b & 0x80) != 0;
        nonReference = (b & 0x20) != 0;
        startOfPartition = (b & 0x10) != 0;
        partitionIndex = b & 0x07;
        if (extended) {
            if (p >= end) {
                return ERR_TRUNCATED;
            }
            int x = buf.getUnsignedByte(p++);
            if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits (M bit)
                if (p >= end) {
                    return ERR_TRUNCATED;
                }
                int m = buf.getUnsignedByte(p++);
                if ((m & 0x80) != 0) {
                    if (p >= end) {
                        return ERR_TRUNCATED;
                    }
                    pictureId = ((m & 0x7F) << 8) | buf.getUnsignedByte(p++);
                    longPictureId = true;
                } else {
                    pictureId = m;
                }
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                if (p >= end) {
                    return ERR_TRUNCATED;
                }
                tl0PicIdx = buf.getUnsignedByte(p++);
            }
            if ((x & 0x30) != 0) { // T or K: one shared octet
                if (p >= end) {
                    return ERR_TRUNCATED;
                }
                int tk = buf.getUnsignedByte(p++);
                if ((x & 0x20) != 0) {
                    tid = tk >>> 6;
                    layerSync = (tk & 0x20) != 0;
                }
                if ((x & 0x10) != 0) {
                    keyIdx = tk & 0x1F;
                }
            }
        }
        this.length = p - index;
        // §4.3: P, the low bit of the first payload header octet, is 0 on a key frame; the
        // payload header is present only at the start of partition 0.
        keyFrame = startOfPartition && partitionIndex == 0 && p < end
                && (buf.getByte(p) & 0x01) == 0;
        return this.length;
    }

    /** True when the payload starts a VP8 key frame; false on malformed input. */
    public static boolean isKeyFrame(ByteBuf buf, int index, int length) {
        if (length < 2) {
            return false;
        }
        int b = buf.getUnsignedByte(index);
        if ((b & 0x10) == 0 || (b & 0x07) != 0) {
            return false;
        }
        int n = descriptorLength(buf, index, length);
        return n > 0 && n < length && (buf.getByte(index + n) & 0x01) == 0;
    }

    /**
     * The frame size of a key frame's first packet, as {@code width << 16 | height}, or -1 when
     * the payload does not start a key frame or is too short. RFC 6386 §9.1: after the 3-byte
     * frame tag a key frame has the start code 9d 01 2a, then 14-bit width and height (little
     * endian; the top two bits of each are the scaling mode).
     */
    public static int keyFrameSize(ByteBuf buf, int index, int length) {
        if (!isKeyFrame(buf, index, length)) {
            return -1;
        }
        int p = index + descriptorLength(buf, index, length);
        if (index + length - p < 10 || buf.getUnsignedByte(p + 3) != 0x9d || buf.getUnsignedByte(p + 4) != 0x01
                || buf.getUnsignedByte(p + 5) != 0x2a) {
            return -1;
        }
        int width = buf.getUnsignedShortLE(p + 6) & 0x3FFF;
        int height = buf.getUnsignedShortLE(p + 8) & 0x3FFF;
        return width << 16 | height;
    }

    /** Descriptor length without keeping the fields, or a negative ERR_ code. */
    public static int descriptorLength(ByteBuf buf, int index, int length) {
        if (length <= 0) {
            return ERR_EMPTY;
        }
        int n = 1;
        if ((buf.getByte(index) & 0x80) != 0) {
            if (length < 2) {
                return ERR_TRUNCATED;
            }
            int x = buf.getUnsignedByte(index + 1);
            n = 2;
            if ((x & 0x80) != 0) {
                if (length < 3) {
                    return ERR_TRUNCATED;
                }
                n += (buf.getByte(index + 2) & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                n++;
            }
            if ((x & 0x30) != 0) {
                n++;
            }
            if (n > length) {
                return ERR_TRUNCATED;
            }
        }
        return n;
    }

    /**
     * Rewrites the picture id in place, keeping its 7- or 15-bit width (the value is reduced
     * modulo 2^7 or 2^15). Returns 0, ERR_TRUNCATED, or ERR_ABSENT.
     */
    public static int setPictureId(ByteBuf buf, int index, int length, int pictureId) {
        int n = descriptorLength(buf, index, length);
        if (n < 0) {
            return n;
        }
        if (n < 3 || (buf.getByte(index + 1) & 0x80) == 0) {
            return ERR_ABSENT;
        }
        if ((buf.getByte(index + 2) & 0x80) != 0) {
            buf.setShort(index + 2, 0x8000 | (pictureId & 0x7FFF));
        } else {
            buf.setByte(index + 2, pictureId & 0x7F);
        }
        return 0;
    }

    /** Rewrites TL0PICIDX in place. Returns 0, ERR_TRUNCATED, or ERR_ABSENT. */
    public static int setTl0PicIdx(ByteBuf buf, int index, int length, int tl0PicIdx) {
        int n = descriptorLength(buf, index, length);
        if (n < 0) {
            return n;
        }
        if (n < 2) {
            return ERR_ABSENT;
        }
        int x = buf.getUnsignedByte(index + 1);
        if ((x & 0x40) == 0) {
            return ERR_ABSENT;
        }
        int p = index + 2;
        if ((x & 0x80) != 0) {
            p += (buf.getByte(p) & 0x80) != 0 ? 2 : 1;
        }
        buf.setByte(p, tl0PicIdx);
        return 0;
    }

    /**
     * Appends a descriptor (RFC 7741 §4.2) to {@code out}: S and PID always; the X octet and the
     * I, L and T fields only for those given (≥ 0; {@code tid} ≥ 0 also writes Y). The picture
     * id is 15 bits wide when {@code longPictureId}, else 7 (reduced modulo). Returns the bytes
     * written.
     */
    public static int write(ByteBuf out, boolean startOfPartition, int partitionIndex, int pictureId,
                            boolean longPictureId, int tl0PicIdx, int tid, boolean layerSync) {
        int start = out.writerIndex();
        boolean i = pictureId >= 0;
        boolean l = tl0PicIdx >= 0;
        boolean t = tid >= 0;
        boolean x = i || l || t;
        out.writeByte((x ? 0x80 : 0) | (startOfPartition ? 0x10 : 0) | (partitionIndex & 0x07));
        if (x) {
            out.writeByte((i ? 0x80 : 0) | (l ? 0x40 : 0) | (t ? 0x20 : 0));
            if (i && longPictureId) {
                out.writeShort(0x8000 | (pictureId & 0x7FFF));
            } else if (i) {
                out.writeByte(pictureId & 0x7F);
            }
            if (l) {
                out.writeByte(tl0PicIdx & 0xFF);
            }
            if (t) {
                out.writeByte((tid & 0x03) << 6 | (layerSync ? 0x20 : 0));
            }
        }
        return out.writerIndex() - start;
    }

    /** Descriptor length of the last successful parse; the VP8 payload starts after it. */
    public int length() { return length; }
    public boolean extended() { return extended; }
    /** N: the frame can be discarded without affecting others. */
    public boolean nonReference() { return nonReference; }
    /** S: this packet starts a VP8 partition. */
    public boolean startOfPartition() { return startOfPartition; }
    public int partitionIndex() { return partitionIndex; }
    /** Picture id, or -1 when absent. */
    public int pictureId() { return pictureId; }
    /** M: the picture id is 15 bits wide. */
    public boolean longPictureId() { return longPictureId; }
    public int tl0PicIdx() { return tl0PicIdx; }
    /** Temporal layer index, or -1 when absent. */
    public int temporalLayer() { return tid; }
    /** Y: layer sync. */
    public boolean layerSync() { return layerSync; }
    public int keyIdx() { return keyIdx; }
    public boolean keyFrame() { return keyFrame; }
}
