package dev.prism.loadtest;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One VP8 stream of a synthetic publisher: a simulcast layer (rid {@code q}, {@code h} or
 * {@code f}) or the only video stream. Each layer is what a simulcast encoder makes of it: its
 * own SSRC, sequence numbers, RTP timestamp base, picture id and TL0PICIDX
 * ({@link SyntheticVp8Source}), key frames on its own requests, and a 1 s history of the
 * protected datagrams it sent for NACK (same sequence number, no RTX). Loop thread only.
 */
final class VideoLayer {
    /** Simulcast rids, lowest layer first, as Chromium names them. */
    static final String[] RIDS = {"q", "h", "f"};
    /** Share of the top layer's bitrate each layer gets (about 150, 500 and 1800 kbit/s at the default 1.8 Mbit/s). */
    static final double[] RATE_SHARE = {0.083, 0.28, 1.0};
    static final int[] WIDTHS = {320, 640, 1280};
    static final int[] HEIGHTS = {180, 360, 720};
    private static final int HISTORY = 1024;
    private static final int SLOT = 1280;
    private static final long HISTORY_NANOS = 1_000_000_000L;

    final int index;
    /** Position on the q/h/f ladder: {@code index} with three layers, 2 (f) for a single stream. */
    final int ladder;
    final boolean top;
    final String rid;
    final byte[] ridBytes;
    final int ssrc = ThreadLocalRandom.current().nextInt();
    final long tsBase = ThreadLocalRandom.current().nextLong(0x100000000L);
    final int bitrate;
    final SyntheticVp8Source source;
    private final byte[][] history = new byte[HISTORY][SLOT];
    private final int[] historyLength = new int[HISTORY];
    private final int[] historySeq = new int[HISTORY];
    private final long[] historyNanos = new long[HISTORY];
    int seq = ThreadLocalRandom.current().nextInt(0x10000);
    int count;
    long octets;
    long frameIndex;
    long lastKeyNanos;
    boolean keyRequested = true;

    /**
     * Layer {@code index} of {@code layers} (1 or 3): with 3 layers it sends rid {@link #RIDS}[index]
     * at {@link #RATE_SHARE}[index] of {@code topBitrate}; a single layer is the top one.
     */
    VideoLayer(int index, int layers, int topBitrate, int fps, int maxPayload) {
        this.index = index;
        this.top = index == layers - 1;
        int ladder = layers == 1 ? RIDS.length - 1 : index;
        this.ladder = ladder;
        this.rid = RIDS[ladder];
        this.ridBytes = rid.getBytes(StandardCharsets.US_ASCII);
        this.bitrate = (int) Math.max(SyntheticVp8Source.MIN_BITRATE, Math.round(topBitrate * RATE_SHARE[ladder]));
        this.source = new SyntheticVp8Source(bitrate, fps, maxPayload, ThreadLocalRandom.current().nextInt(),
                WIDTHS[ladder], HEIGHTS[ladder]);
    }

    /**
     * The marker a payload stamp of this layer carries: the packet count in the low 28 bits, the
     * {@link #ladder} position (0 = q, 2 = f) in bits 28-29 and bit 30 set on the top layer, so a viewer can tell which layer
     * an SFU forwarded from payload bytes alone.
     */
    int nextMarker() {
        int m = (count & 0x0FFFFFFF) | (ladder << 28) | (top ? 1 << 30 : 0);
        count++;
        return m;
    }

    /** The ladder position (0..2) a marker names; 3 for a marker that is not one of ours. */
    static int layerOf(int marker) {
        return (marker >>> 28) & 0x3;
    }

    static boolean isTop(int marker) {
        return (marker & (1 << 30)) != 0;
    }

    /** Keeps a copy of the protected datagram {@code b} sent with sequence number {@code seq}. */
    void remember(ByteBuf b, int seq, long nowNanos) {
        int n = b.readableBytes();
        if (n > SLOT) {
            return;
        }
        int slot = seq & (HISTORY - 1);
        b.getBytes(b.readerIndex(), history[slot], 0, n);
        historyLength[slot] = n;
        historySeq[slot] = seq;
        historyNanos[slot] = nowNanos;
    }

    /** Length of the remembered datagram for {@code seq} sent less than 1 s ago, or 0. */
    int remembered(int seq, long nowNanos) {
        int slot = seq & (HISTORY - 1);
        if (historySeq[slot] != seq || historyLength[slot] == 0 || nowNanos - historyNanos[slot] > HISTORY_NANOS) {
            return 0;
        }
        return historyLength[slot];
    }

    /** Copies the remembered datagram for {@code seq} (check {@link #remembered} first) into {@code out}. */
    void copyRemembered(int seq, ByteBuf out) {
        int slot = seq & (HISTORY - 1);
        out.writeBytes(history[slot], 0, historyLength[slot]);
    }
}
