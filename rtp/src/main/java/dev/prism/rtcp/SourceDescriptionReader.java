package dev.prism.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Reusable cursor over the chunks and items of one SDES packet (RFC 3550 §6.5). Bounds are
 * checked at each step, so a malformed packet just ends the walk early.
 * <pre>
 * reader.reset(buf, offset);
 * while (reader.nextChunk()) {
 *     while (reader.nextItem()) { ... reader.ssrc(), reader.itemType(), reader.itemOffset() ... }
 * }
 * </pre>
 */
public final class SourceDescriptionReader {
    private ByteBuf buf;
    private int packetOffset;
    private int pos;
    private int end;
    private int chunksLeft;
    private boolean inChunk;
    private int ssrc;
    private int itemType;
    private int itemOffset;
    private int itemLength;

    /** Starts at the SDES packet whose header is at absolute index {@code offset}. */
    public void reset(ByteBuf buf, int offset) {
        this.buf = buf;
        this.packetOffset = offset;
        this.pos = offset + RtcpHeader.SIZE;
        this.end = Math.min(offset + RtcpHeader.contentLength(buf, offset), buf.writerIndex());
        this.chunksLeft = SourceDescription.chunkCount(buf, offset);
        this.inChunk = false;
    }

    /** Moves to the next chunk, skipping unread items of the current one. */
    public boolean nextChunk() {
        while (inChunk) {
            nextItem();
        }
        if (chunksLeft == 0 || pos + 4 > end) {
            chunksLeft = 0;
            return false;
        }
        ssrc = buf.getInt(pos);
        pos += 4;
        chunksLeft--;
        inChunk = true;
        return true;
    }

    /** Moves to the next item of the current chunk; false at its null item or on truncation. */
    public boolean nextItem() {
        if (!inChunk) {
            return false;
        }
        if (pos >= end) {
            return stop();
        }
        int type = buf.getUnsignedByte(pos);
        if (type == RtcpPacketType.SDES_END) {
            pos = SourceDescription.nextChunk(packetOffset, pos, end);
            inChunk = false;
            return false;
        }
        if (pos + 2 > end || pos + 2 + buf.getUnsignedByte(pos + 1) > end) {
            return stop();
        }
        itemType = type;
        itemLength = buf.getUnsignedByte(pos + 1);
        itemOffset = pos + 2;
        pos = itemOffset + itemLength;
        return true;
    }

    private boolean stop() {
        inChunk = false;
        chunksLeft = 0;
        pos = end;
        return false;
    }

    public int ssrc() {
        return ssrc;
    }

    public int itemType() {
        return itemType;
    }

    /** Absolute index of the current item's text. */
    public int itemOffset() {
        return itemOffset;
    }

    public int itemLength() {
        return itemLength;
    }
}
