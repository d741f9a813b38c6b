package dev.prism.rtp;

import io.netty.buffer.ByteBuf;

/**
 * RTP header extension elements (RFC 8285) in the packet's extension block: find, rewrite,
 * add and remove, all in place on the ByteBuf and allocation-free.
 *
 * <p>Both forms are handled: one-byte headers (profile 0xBEDE, §4.2: 4-bit id 1..14, 4-bit
 * length-minus-one, data 1..16 bytes) and two-byte headers (profile 0x100X, §4.3: 8-bit id
 * 1..255, 8-bit length, data 0..255 bytes). {@link #add} converts a one-byte block to the
 * two-byte form when the new element does not fit the one-byte form (§4.1.2 allows mixing
 * only through the two-byte form).
 *
 * <p>{@link #find} returns a packed long (data index and length) so one scan yields both;
 * unpack with {@link #dataIndex} and {@link #dataLength}.
 */
public final class RtpHeaderExtensions {
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Two-byte form profile; the low 4 bits are "appbits" (§4.3) and are preserved. */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    public static final int ONE_BYTE_MAX_ID = 14;
    public static final int ONE_BYTE_MAX_LENGTH = 16;
    public static final int TWO_BYTE_MAX_ID = 255;
    public static final int TWO_BYTE_MAX_LENGTH = 255;

    /** The packet does not pass {@link RtpPacket#validate}. */
    public static final int ERR_INVALID_PACKET = -20;
    /** Id outside 1..255. */
    public static final int ERR_BAD_ID = -21;
    /** Length outside 0..255, or a rewrite whose length differs from the element's. */
    public static final int ERR_BAD_LENGTH = -22;
    /** The extension block uses a profile other than RFC 8285's two forms. */
    public static final int ERR_UNSUPPORTED_PROFILE = -23;
    /** An element's length runs past the end of the block. */
    public static final int ERR_MALFORMED = -24;
    /** The buffer cannot grow by the bytes the new element needs. */
    public static final int ERR_NO_ROOM = -25;
    /** No element with that id. */
    public static final int ERR_NOT_FOUND = -26;

    private static final int FIELD_BITS = 20;
    private static final int FIELD_MASK = (1 << FIELD_BITS) - 1;

    private RtpHeaderExtensions() {}

    public static boolean isOneByteProfile(int profile) {
        return profile == ONE_BYTE_PROFILE;
    }

    public static boolean isTwoByteProfile(int profile) {
        return (profile & 0xFFF0) == TWO_BYTE_PROFILE;
    }

    /** Absolute index of the data of a packed {@link #find} result. */
    public static int dataIndex(long found) {
        return (int) (found >>> 16);
    }

    /** Data length of a packed {@link #find} result. */
    public static int dataLength(long found) {
        return (int) (found & 0xFFFF);
    }

    /**
     * Finds element {@code id}: a packed (data index, length) long, or -1 when absent, when the
     * packet has no RFC 8285 block, or when the block is malformed before the element.
     * Bounds are checked against the buffer, so a non-validated packet never throws.
     */
    public static long find(ByteBuf buf, int id) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        if (id <= 0 || end - start < RtpPacket.FIXED_HEADER_LENGTH) {
            return -1;
        }
        int b0 = buf.getByte(start);
        if ((b0 & 0x10) == 0) {
            return -1;
        }
        int ext = start + RtpPacket.FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if (ext + 4 > end) {
            return -1;
        }
        int profile = buf.getUnsignedShort(ext);
        int p = ext + 4;
        int blockEnd = p + 4 * buf.getUnsignedShort(ext + 2);
        if (blockEnd > end) {
            return -1;
        }
        if (profile == ONE_BYTE_PROFILE) {
            while (p < blockEnd) {
                int b = buf.getUnsignedByte(p);
                int eid = b >>> 4;
                if (eid == 0) { // §4.2: padding byte, no length
                    p++;
                    continue;
                }
                if (eid == 15) { // §4.2: reserved, stop processing the block
                    return -1;
                }
                int len = (b & 0x0F) + 1;
                if (p + 1 + len > blockEnd) {
                    return -1;
                }
                if (eid == id) {
                    return pack(p + 1, len);
                }
                p += 1 + len;
            }
        } else if (isTwoByteProfile(profile)) {
            while (p < blockEnd) {
                int eid = buf.getUnsignedByte(p);
                if (eid == 0) { // §4.3: padding byte
                    p++;
                    continue;
                }
                if (p + 2 > blockEnd) {
                    return -1;
                }
                int len = buf.getUnsignedByte(p + 1);
                if (p + 2 + len > blockEnd) {
                    return -1;
                }
                if (eid == id) {
                    return pack(p + 2, len);
                }
                p += 2 + len;
            }
        }
        return -1;
    }

    /**
     * Overwrites the data of element {@code id} with {@code length} bytes of {@code src} at
     * {@code srcIndex}; the element keeps its place. Returns the data index, or ERR_NOT_FOUND,
     * or ERR_BAD_LENGTH when the lengths differ (use {@link #set} to change the length).
     */
    public static int rewrite(ByteBuf buf, int id, ByteBuf src, int srcIndex, int length) {
        long found = find(buf, id);
        if (found < 0) {
            return ERR_NOT_FOUND;
        }
        if (dataLength(found) != length) {
            return ERR_BAD_LENGTH;
        }
        int index = dataIndex(found);
        buf.setBytes(index, src, srcIndex, length);
        return index;
    }

    /** {@link #add} then copy the value in: the data index or a negative ERR_ code. */
    public static int set(ByteBuf buf, int id, ByteBuf src, int srcIndex, int length) {
        int index = add(buf, id, length);
        if (index >= 0 && length > 0) {
            buf.setBytes(index, src, srcIndex, length);
        }
        return index;
    }

    /**
     * Makes room for element {@code id} with {@code length} data bytes and returns the absolute
     * index where the caller writes its value (or a negative ERR_ code). An element with that
     * id and length is reused as is; one with another length is removed first. The payload and
     * padding shift towards the end; the buffer grows within its max capacity (give pooled
     * buffers tailroom to avoid reallocation). A one-byte block is converted to the two-byte
     * form when id > 14, length > 16 or length == 0.
     */
    public static int add(ByteBuf buf, int id, int length) {
        if (id < 1 || id > TWO_BYTE_MAX_ID) {
            return ERR_BAD_ID;
        }
        if (length < 0 || length > TWO_BYTE_MAX_LENGTH) {
            return ERR_BAD_LENGTH;
        }
        long existing = find(buf, id);
        if (existing >= 0) {
            if (dataLength(existing) == length) {
                return dataIndex(existing);
            }
            int removed = remove(buf, id);
            if (removed < 0) {
                return removed;
            }
        }
        int headerLength = RtpPacket.validate(buf);
        if (headerLength < 0) {
            return ERR_INVALID_PACKET;
        }
        int start = buf.readerIndex();
        int b0 = buf.getByte(start);
        int ext = start + RtpPacket.FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        int blockStart = ext + 4;
        boolean fitsOneByte = id <= ONE_BYTE_MAX_ID && length >= 1 && length <= ONE_BYTE_MAX_LENGTH;
        boolean hadBlock = (b0 & 0x10) != 0;
        int oldWords = 0;
        int profile;
        long scan = 0;
        if (hadBlock) {
            profile = buf.getUnsignedShort(ext);
            oldWords = buf.getUnsignedShort(ext + 2);
            if (profile != ONE_BYTE_PROFILE && !isTwoByteProfile(profile)) {
                return ERR_UNSUPPORTED_PROFILE;
            }
            scan = scan(buf, blockStart, blockStart + 4 * oldWords, profile == ONE_BYTE_PROFILE);
            if (scan < 0) {
                return ERR_MALFORMED;
            }
        } else {
            profile = fitsOneByte ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE;
        }
        int used = scanUsed(scan);
        boolean convert = profile == ONE_BYTE_PROFILE && !fitsOneByte;
        boolean oneByte = profile == ONE_BYTE_PROFILE && !convert;
        int contentEnd = convert ? used - scanPadding(scan) + scanCount(scan) : used;
        int newUsed = contentEnd + (oneByte ? 1 : 2) + length;
        // Conversion first shifts the old elements right by their count (see convertInPlace),
        // and a block never shrinks here, so the payload only ever moves towards the end.
        int needed = Math.max(newUsed, convert ? used + scanCount(scan) : 0);
        int newWords = Math.max(oldWords, (needed + 3) >>> 2);
        if (newWords > 0xFFFF) {
            return ERR_NO_ROOM;
        }
        int delta = 4 * newWords + 4 - (hadBlock ? 4 * oldWords + 4 : 0);
        if (buf.maxWritableBytes() < delta) {
            return ERR_NO_ROOM;
        }
        buf.ensureWritable(delta);
        int tail = start + headerLength;
        move(buf, tail, tail + delta, buf.writerIndex() - tail);
        buf.writerIndex(buf.writerIndex() + delta);
        if (convert) {
            convertInPlace(buf, blockStart, used, scanCount(scan));
            profile = TWO_BYTE_PROFILE;
        }
        buf.setByte(start, b0 | 0x10);
        buf.setShort(ext, profile);
        buf.setShort(ext + 2, newWords);
        int p = blockStart + contentEnd;
        if (oneByte) {
            buf.setByte(p, (id << 4) | (length - 1));
            p += 1;
        } else {
            buf.setByte(p, id);
            buf.setByte(p + 1, length);
            p += 2;
        }
        // Zero the new value and the tail of the block: zeros are padding (§4.2, §4.3).
        buf.setZero(p, blockStart + 4 * newWords - p);
        return p;
    }

    /**
     * Removes element {@code id}, closing the gap and shrinking the block (and the packet) to
     * whole words; a block left empty is dropped with the X bit. Returns the new header length
     * or a negative ERR_ code.
     */
    public static int remove(ByteBuf buf, int id) {
        int headerLength = RtpPacket.validate(buf);
        if (headerLength < 0) {
            return ERR_INVALID_PACKET;
        }
        long found = find(buf, id);
        if (found < 0) {
            return ERR_NOT_FOUND;
        }
        int start = buf.readerIndex();
        int b0 = buf.getByte(start);
        int ext = start + RtpPacket.FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        int blockStart = ext + 4;
        int oldWords = buf.getUnsignedShort(ext + 2);
        boolean oneByte = buf.getUnsignedShort(ext) == ONE_BYTE_PROFILE;
        long scan = scan(buf, blockStart, blockStart + 4 * oldWords, oneByte);
        if (scan < 0) {
            return ERR_MALFORMED;
        }
        int used = scanUsed(scan);
        int elementStart = dataIndex(found) - (oneByte ? 1 : 2);
        int elementEnd = dataIndex(found) + dataLength(found);
        move(buf, elementEnd, elementStart, blockStart + used - elementEnd);
        int newUsed = used - (elementEnd - elementStart);
        int newWords = (newUsed + 3) >>> 2;
        int tail = start + headerLength;
        int shrink;
        if (newUsed == 0 || onlyPadding(buf, blockStart, newUsed)) {
            shrink = 4 + 4 * oldWords;
            buf.setByte(start, b0 & ~0x10);
        } else {
            shrink = 4 * (oldWords - newWords);
            buf.setZero(blockStart + newUsed, 4 * newWords - newUsed);
            buf.setShort(ext + 2, newWords);
        }
        move(buf, tail, tail - shrink, buf.writerIndex() - tail);
        buf.writerIndex(buf.writerIndex() - shrink);
        return headerLength - shrink;
    }

    private static boolean onlyPadding(ByteBuf buf, int from, int length) {
        for (int i = 0; i < length; i++) {
            if (buf.getByte(from + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rewrites {@code count} one-byte elements occupying [blockStart, blockStart+used) as
     * two-byte elements from blockStart on, dropping padding bytes. The old bytes are first
     * shifted right by {@code count}: each element grows by one byte, so the write position
     * then never passes the next unread element.
     */
    private static void convertInPlace(ByteBuf buf, int blockStart, int used, int count) {
        int r = blockStart + count;
        int end = r + used;
        move(buf, blockStart, r, used);
        int w = blockStart;
        while (r < end) {
            int b = buf.getUnsignedByte(r);
            if ((b >>> 4) == 0) {
                r++;
                continue;
            }
            int len = (b & 0x0F) + 1;
            move(buf, r + 1, w + 2, len);
            buf.setByte(w, b >>> 4);
            buf.setByte(w + 1, len);
            r += 1 + len;
            w += 2 + len;
        }
    }

    /**
     * Walks the elements of a block: packs bytes used up to the end of the last element, the
     * element count and the padding bytes among them; -1 when an element runs past the end.
     */
    private static long scan(ByteBuf buf, int p, int blockEnd, boolean oneByte) {
        int blockStart = p;
        int used = 0;
        int count = 0;
        int padding = 0;
        int paddingSinceLast = 0;
        while (p < blockEnd) {
            int b = buf.getUnsignedByte(p);
            int eid = oneByte ? b >>> 4 : b;
            if (eid == 0) {
                p++;
                paddingSinceLast++;
                continue;
            }
            if (oneByte && eid == 15) {
                break;
            }
            int len;
            int hdr;
            if (oneByte) {
                len = (b & 0x0F) + 1;
                hdr = 1;
            } else {
                if (p + 2 > blockEnd) {
                    return -1;
                }
                len = buf.getUnsignedByte(p + 1);
                hdr = 2;
            }
            if (p + hdr + len > blockEnd) {
                return -1;
            }
            p += hdr + len;
            count++;
            padding += paddingSinceLast;
            paddingSinceLast = 0;
            used = p - blockStart;
        }
        return ((long) used << (2 * FIELD_BITS)) | ((long) count << FIELD_BITS) | padding;
    }

    private static int scanUsed(long scan) {
        return (int) (scan >>> (2 * FIELD_BITS));
    }

    private static int scanCount(long scan) {
        return (int) ((scan >>> FIELD_BITS) & FIELD_MASK);
    }

    private static int scanPadding(long scan) {
        return (int) (scan & FIELD_MASK);
    }

    private static long pack(int index, int length) {
        return ((long) index << 16) | length;
    }

    /**
     * Copies {@code length} bytes within one buffer, correct when the ranges overlap (a
     * memmove), eight bytes at a time. Netty does not promise overlap-safety for setBytes of a
     * buffer onto itself across all buffer kinds, so this does not rely on it.
     */
    static void move(ByteBuf buf, int src, int dst, int length) {
        if (length <= 0 || src == dst) {
            return;
        }
        int i;
        if (dst < src) {
            for (i = 0; i + 8 <= length; i += 8) {
                buf.setLong(dst + i, buf.getLong(src + i));
            }
            for (; i < length; i++) {
                buf.setByte(dst + i, buf.getByte(src + i));
            }
        } else {
            for (i = length; i >= 8; i -= 8) {
                buf.setLong(dst + i - 8, buf.getLong(src + i - 8));
            }
            for (; i > 0; i--) {
                buf.setByte(dst + i - 1, buf.getByte(src + i - 1));
            }
        }
    }
}
