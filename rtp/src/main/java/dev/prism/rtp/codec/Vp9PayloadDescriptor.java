package dev.prism.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * VP9 payload descriptor (RFC 9628 §4.2), parsed in place:
 * <pre>
 *        |I|P|L|F|B|E|V|Z|  required
 *   I:   |M| PICTURE ID  |  (+ extended 8 bits when M=1)
 *   L:   | TID |U| SID |D|  (+ TL0PICIDX octet when F=0, non-flexible mode)
 *   P,F: | P_DIFF      |N|  up to 3 times
 *   V:   scalability structure (§4.2.1)
 * </pre>
 * A reusable view like {@link Vp8PayloadDescriptor}; absent numeric fields read as -1, except
 * the layer ids, which are 0 when L is absent (a single-layer stream).
 */
public final class Vp9PayloadDescriptor {
    public static final int ERR_TRUNCATED = -1;
    public static final int ERR_EMPTY = -2;
    /** More than 3 reference indices (§4.2: "up to 3 times"). */
    public static final int ERR_TOO_MANY_REFERENCES = -3;

    private int length;
    private int flags;
    private int pictureId;
    private boolean longPictureId;
    private int temporalLayer;
    private boolean switchingUp;
    private int spatialLayer;
    private boolean interLayerDependency;
    private int tl0PicIdx;
    private int referenceCount;

    /** Parses the descriptor; returns its length (payload follows) or a negative ERR_ code. */
    public int parse(ByteBuf buf, int index, int length) {
        this.length = 0;
        flags = 0;
        pictureId = -1;
        longPictureId = false;
        temporalLayer = 0;
        switchingUp = false;
        spatialLayer = 0;
        interLayerDependency = false;
        tl0PicIdx = -1;
        referenceCount = 0;
        if (length <= 0) {
            return ERR_EMPTY;
        }
        int end = index + length;
        int p = index;
        flags = buf.getUnsignedByte(p++);
        if (hasPictureId()) {
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
        if (hasLayerIndices()) {
            if (p >= end) {
                return ERR_TRUNCATED;
            }
            int l = buf.getUnsignedByte(p++);
            temporalLayer = l >>> 5;
            switchingUp = (l & 0x10) != 0;
            spatialLayer = (l >>> 1) & 0x07;
            interLayerDependency = (l & 0x01) != 0;
            if (!flexibleMode()) {
                if (p >= end) {
                    return ERR_TRUNCATED;
                }
                tl0PicIdx = buf.getUnsignedByte(p++);
            }
        }
        if (flexibleMode() && interPicturePredicted()) {
            int n;
            do {
                if (p >= end) {
                    return ERR_TRUNCATED;
                }
                if (referenceCount == 3) {
                    return ERR_TOO_MANY_REFERENCES;
                }
                n = buf.getByte(p++) & 0x01;
                referenceCount++;
            } while (n != 0);
        }
        if (hasScalabilityStructure()) {
            p = skipScalabilityStructure(buf, p, end);
            if (p < 0) {
                return p;
            }
        }
        this.length = p - index;
        return this.length;
    }

    /** §4.2.1: |N_S|Y|G|RSV|, Y: (N_S+1) x 4 octets of size, G: N_G then N_G pictures. */
    private static int skipScalabilityStructure(ByteBuf buf, int p, int end) {
        if (p >= end) {
            return ERR_TRUNCATED;
        }
        int ss = buf.getUnsignedByte(p++);
        if ((ss & 0x10) != 0) {
            p += 4 * ((ss >>> 5) + 1);
        }
        if ((ss & 0x08) != 0) {
            if (p >= end) {
                return ERR_TRUNCATED;
            }
            int groups = buf.getUnsignedByte(p++);
            for (int g = 0; g < groups; g++) {
                if (p >= end) {
                    return ERR_TRUNCATED;
                }
                int refs = (buf.getByte(p++) >>> 2) & 0x03;
                p += refs;
            }
        }
        return p > end ? ERR_TRUNCATED : p;
    }

    /** True when the payload starts a key frame: P=0, B=1 and SID=0; false when malformed. */
    public static boolean isKeyFrame(ByteBuf buf, int index, int length) {
        if (length <= 0) {
            return false;
        }
        int b = buf.getByte(index);
        if ((b & 0x40) != 0 || (b & 0x08) == 0) {
            return false;
        }
        if ((b & 0x20) == 0) {
            return true;
        }
        int p = index + 1;
        if ((b & 0x80) != 0) {
            if (length < 2) {
                return false;
            }
            p += (buf.getByte(p) & 0x80) != 0 ? 2 : 1;
        }
        return p < index + length && ((buf.getByte(p) >>> 1) & 0x07) == 0;
    }

    public int length() { return length; }
    /** I */
    public boolean hasPictureId() { return (flags & 0x80) != 0; }
    /** P: inter-picture predicted; 0 means the frame needs no earlier picture of its layer. */
    public boolean interPicturePredicted() { return (flags & 0x40) != 0; }
    /** L */
    public boolean hasLayerIndices() { return (flags & 0x20) != 0; }
    /** F */
    public boolean flexibleMode() { return (flags & 0x10) != 0; }
    /** B: first packet of a layer frame. */
    public boolean startOfFrame() { return (flags & 0x08) != 0; }
    /** E: last packet of a layer frame. */
    public boolean endOfFrame() { return (flags & 0x04) != 0; }
    /** V */
    public boolean hasScalabilityStructure() { return (flags & 0x02) != 0; }
    /** Z: not used for inter-layer prediction by a higher spatial layer. */
    public boolean notReferencedByUpperLayer() { return (flags & 0x01) != 0; }
    public int pictureId() { return pictureId; }
    public boolean longPictureId() { return longPictureId; }
    public int temporalLayer() { return temporalLayer; }
    /** U: switching-up point. */
    public boolean switchingUp() { return switchingUp; }
    public int spatialLayer() { return spatialLayer; }
    /** D: inter-layer dependency. */
    public boolean interLayerDependency() { return interLayerDependency; }
    public int tl0PicIdx() { return tl0PicIdx; }
    public int referenceCount() { return referenceCount; }
    public boolean keyFrame() {
        return length > 0 && !interPicturePredicted() && startOfFrame() && spatialLayer == 0;
    }
}
