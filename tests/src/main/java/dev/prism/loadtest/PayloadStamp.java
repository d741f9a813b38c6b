package dev.prism.loadtest;

import io.netty.buffer.ByteBuf;

/**
 * The 12 bytes a synthetic publisher puts into every payload so a viewer can measure the latency the
 * SFU adds by looking at payload bytes only (the SFU never touches payloads): the send time
 * ({@link System#nanoTime}, so publisher and viewer must run in the same process) and a 32-bit
 * sequence marker (the publisher's own unwrapped count of packets of that stream).
 * Audio payloads start with it; VP8 payloads carry it right after the RFC 7741 payload descriptor
 * and, in a frame's first packet, after the VP8 frame header (see {@link SyntheticVp8Source}).
 */
final class PayloadStamp {
    static final int LENGTH = 12;

    private PayloadStamp() {}

    static void write(ByteBuf out, long sendNanos, int marker) {
        out.writeLong(sendNanos);
        out.writeInt(marker);
    }

    static long sendNanos(ByteBuf buf, int index) {
        return buf.getLong(index);
    }

    static int marker(ByteBuf buf, int index) {
        return buf.getInt(index + 8);
    }
}
