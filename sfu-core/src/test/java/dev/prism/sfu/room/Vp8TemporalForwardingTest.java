package dev.prism.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.rtp.RtpPacket;
import dev.prism.rtp.codec.Vp8PayloadDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Temporal-layer dropping as DownTrack forwards VP8: {@link Vp8TemporalFilter#accept} then
 * {@link StreamRewriter#write}, against a synthetic L1T3 publisher (TID 0, 2, 1, 2, …; two
 * packets a frame; TL0PICIDX counts TID 0 frames; Y set on the first TID 1 and TID 2 frames
 * after a TID 0 frame, which reference only it).
 */
class Vp8TemporalForwardingTest {
    private static final int[] PATTERN = {0, 2, 1, 2};
    private static final boolean[] SYNC = {false, true, true, false};

    /** One output packet, as the subscriber sees it. */
    record Out(int seq, long timestamp, int pictureId, int tl0, int tid, int sourceSeq, int sourcePictureId) {}

    /** The publisher: frame after frame of two packets each, from chosen start values. */
    static final class Publisher {
        int seq;
        long timestamp;
        int pictureId;
        int tl0;
        int frame;
        final boolean longPictureId;

        Publisher(int seq, long timestamp, int pictureId, boolean longPictureId, int tl0) {
            this.seq = seq;
            this.timestamp = timestamp;
            this.pictureId = pictureId;
            this.longPictureId = longPictureId;
            this.tl0 = tl0;
        }

        int nextTid() {
            return PATTERN[frame % PATTERN.length];
        }

        /** The next frame's two packets; the first frame is a key frame. */
        ByteBuf[] nextFrame() {
            int tid = nextTid();
            boolean sync = SYNC[frame % SYNC.length];
            if (tid == 0 && frame > 0) {
                tl0 = (tl0 + 1) & 0xFF;
            }
            ByteBuf[] packets = {
                packet(seq, timestamp, pictureId, longPictureId, tl0, tid, sync, true, frame == 0, false),
                packet((seq + 1) & 0xFFFF, timestamp, pictureId, longPictureId, tl0, tid, sync, false, false, true)};
            seq = (seq + 2) & 0xFFFF;
            timestamp = (timestamp + 3000) & 0xFFFFFFFFL;
            pictureId = (pictureId + 1) & (longPictureId ? 0x7FFF : 0x7F);
            frame++;
            return packets;
        }
    }

    /** An RTP packet (PT 96) with a VP8 descriptor, then a payload header (P=0 on a key frame) and two bytes. */
    static ByteBuf packet(int seq, long timestamp, int pictureId, boolean longPictureId, int tl0, int tid,
                          boolean sync, boolean start, boolean key, boolean marker) {
        ByteBuf b = Unpooled.buffer(32);
        b.writeByte(0x80).writeByte((marker ? 0x80 : 0) | 96).writeShort(seq).writeInt((int) timestamp).writeInt(0x5EED);
        Vp8PayloadDescriptor.write(b, start, 0, pictureId, longPictureId, tl0, tid, sync);
        b.writeByte(start && !key ? 0x01 : 0x00).writeByte(0xAB).writeByte(0xCD);
        return b;
    }

    /** What DownTrack.forward does for the layer being forwarded, with every packet kept for NACK checks. */
    final class Forwarder {
        final StreamRewriter rewriter = new StreamRewriter(0x1234, 100, 90_000, true);
        final Vp8TemporalFilter filter = new Vp8TemporalFilter();
        final List<Out> out = new ArrayList<>();
        long now = 1000;

        private final int firstSeq;

        Forwarder(int firstSeq) {
            this.firstSeq = firstSeq;
        }

        boolean forward(ByteBuf packet) {
            kept.add(packet);
            if (!rewriter.started()) {
                rewriter.start(RtpPacket.sequenceNumber(packet), RtpPacket.timestamp(packet), firstSeq, 777);
            }
            boolean key = Vp8PayloadDescriptor.isKeyFrame(packet, RtpPacket.payloadOffset(packet),
                    RtpPacket.payloadLength(packet));
            if (!filter.accept(packet, key, rewriter)) {
                return false;
            }
            ByteBuf o = Unpooled.buffer(64);
            try {
                rewriter.write(packet, o, now++);
                out.add(read(o, RtpPacket.sequenceNumber(packet), pictureIdOf(packet)));
            } finally {
                o.release();
            }
            return true;
        }

        void frames(Publisher publisher, int count) {
            for (int i = 0; i < count; i++) {
                for (ByteBuf p : publisher.nextFrame()) {
                    forward(p);
                }
            }
        }
    }

    private final List<ByteBuf> kept = new ArrayList<>();

    @AfterEach
    void release() {
        kept.forEach(ByteBuf::release);
    }

    static int pictureIdOf(ByteBuf packet) {
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        d.parse(packet, RtpPacket.payloadOffset(packet), RtpPacket.payloadLength(packet));
        return d.pictureId();
    }

    /** An output packet's fields (-1 for what its descriptor lacks or when it does not parse). */
    static Out read(ByteBuf o, int sourceSeq, int sourcePictureId) {
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();
        d.parse(o, RtpPacket.payloadOffset(o), RtpPacket.payloadLength(o));
        return new Out(RtpPacket.sequenceNumber(o), RtpPacket.timestamp(o), d.pictureId(), d.tl0PicIdx(),
                d.temporalLayer(), sourceSeq, sourcePictureId);
    }

    /** Consecutive sequence numbers; picture ids consecutive per frame; TL0PICIDX +1 per TID 0 frame; timestamps rising. */
    static void assertContinuous(List<Out> out, int pictureIdMask) {
        for (int i = 1; i < out.size(); i++) {
            Out a = out.get(i - 1);
            Out b = out.get(i);
            assertEquals((a.seq + 1) & 0xFFFF, b.seq, "sequence at " + i);
            boolean newFrame = b.timestamp != a.timestamp;
            assertEquals(newFrame ? (a.pictureId + 1) & pictureIdMask : a.pictureId, b.pictureId, "picture id at " + i);
            assertEquals(newFrame && b.tid == 0 ? (a.tl0 + 1) & 0xFF : a.tl0, b.tl0, "TL0PICIDX at " + i);
            long step = (b.timestamp - a.timestamp) & 0xFFFFFFFFL;
            assertTrue(step < 0x80000000L, "timestamp goes forward at " + i);
        }
    }

    @Test
    void targetZeroForwardsOnlyTl0FramesAsOneContinuousStream() {
        Forwarder f = new Forwarder(100);
        f.filter.setTarget(0);
        f.frames(new Publisher(5000, 90_000, 300, true, 17), 12);
        assertEquals(6, f.out.size(), "three TID 0 frames of two packets");
        for (Out o : f.out) {
            assertEquals(0, o.tid);
        }
        assertContinuous(f.out, 0x7FFF);
        assertEquals(100, f.out.get(0).seq);
        assertEquals(300, f.out.get(0).pictureId, "picture ids start where the publisher's did");
        assertEquals(List.of(17, 17, 18, 18, 19, 19), f.out.stream().map(Out::tl0).toList(), "TL0PICIDX untouched");
        assertEquals(List.of(777L, 777L, 12_777L, 12_777L, 24_777L, 24_777L),
                f.out.stream().map(Out::timestamp).toList(), "timestamps keep the source's spacing");
    }

    @Test
    void targetOneDropsOnlyTid2() {
        Forwarder f = new Forwarder(0);
        f.filter.setTarget(1);
        f.frames(new Publisher(1, 0, 0, true, 0), 12);
        assertEquals(12, f.out.size(), "TID 0 and 1: every other frame");
        assertEquals(List.of(0, 0, 1, 1, 0, 0, 1, 1), f.out.stream().limit(8).map(Out::tid).toList());
        assertContinuous(f.out, 0x7FFF);
    }

    @Test
    void goingUpWaitsForATid0FrameOrALayerSyncFrame() {
        Forwarder f = new Forwarder(0);
        Publisher p = new Publisher(1, 0, 0, true, 0);
        f.filter.setTarget(0);
        f.frames(p, 3); // TID 0, 2, 1: one frame forwarded
        assertEquals(2, f.out.size());
        f.filter.setTarget(2);
        f.frames(p, 1); // TID 2 without Y references the TID 1 frame the subscriber never got
        assertEquals(2, f.out.size(), "no switch at a frame that depends on dropped frames");
        assertEquals(0, f.filter.current());
        f.frames(p, 1); // TID 0: from here on everything
        assertEquals(2, f.filter.current());
        f.frames(p, 3);
        assertEquals(10, f.out.size());
        assertContinuous(f.out, 0x7FFF);

        Forwarder g = new Forwarder(0);
        Publisher q = new Publisher(1, 0, 0, true, 0);
        g.filter.setTarget(0);
        g.frames(q, 1); // TID 0
        g.filter.setTarget(2);
        g.frames(q, 1); // TID 2 with Y: references only TID 0, so it may be the first
        assertEquals(2, g.filter.current());
        assertEquals(4, g.out.size());

        Forwarder h = new Forwarder(0);
        Publisher r = new Publisher(1, 0, 0, true, 0);
        h.filter.setTarget(0);
        h.frames(r, 1);
        h.filter.setTarget(1);
        h.frames(r, 2); // TID 2 (dropped: above the target), TID 1 with Y: switch
        assertEquals(1, h.filter.current());
        assertEquals(4, h.out.size());
        assertContinuous(h.out, 0x7FFF);
    }

    @Test
    void goingDownTakesEffectAtTheNextFrameBoundary() {
        Forwarder f = new Forwarder(0);
        Publisher p = new Publisher(1, 0, 0, true, 0);
        f.frames(p, 1); // TID 0, all layers wanted
        ByteBuf[] tid2 = p.nextFrame();
        assertTrue(f.forward(tid2[0]));
        f.filter.setTarget(0);
        assertTrue(f.forward(tid2[1]), "the frame begun is finished, never cut");
        f.frames(p, 3); // TID 1, TID 2 dropped; TID 0 forwarded
        assertEquals(6, f.out.size());
        assertContinuous(f.out, 0x7FFF);
    }

    @Test
    void nackedOutputSequenceNumbersMapToTheirSourceAcrossDropsAndRetransmitAsSent() {
        Forwarder f = new Forwarder(65_530); // output wraps too
        f.filter.setTarget(0);
        Publisher p = new Publisher(200, 0, 10, true, 3);
        f.frames(p, 20);
        assertEquals(10, f.out.size());
        for (Out o : f.out) {
            int slot = f.rewriter.history().slotOf(o.seq);
            assertTrue(slot >= 0, "output " + o.seq + " remembered");
            assertEquals(o.sourceSeq, f.rewriter.history().sourceSequence(slot));
            assertEquals(0, f.rewriter.history().source(slot));
        }
        assertEquals(208, f.rewriter.history().sourceSequence(f.rewriter.history().slotOf(65_532)),
                "third output packet: first packet of the second TID 0 frame, after six dropped");
        assertEquals(-1, f.rewriter.history().slotOf((f.out.get(9).seq + 1) & 0xFFFF), "not sent yet");

        // A retransmission of an output packet is byte for byte what was first sent.
        Out third = f.out.get(2);
        ByteBuf source = kept.stream().filter(b -> RtpPacket.sequenceNumber(b) == third.sourceSeq).findFirst().orElseThrow();
        ByteBuf again = Unpooled.buffer();
        ByteBuf rtx = Unpooled.buffer();
        try {
            f.rewriter.writeRetransmission(source, again, f.rewriter.history().slotOf(third.seq), 0, -1, 0);
            assertEquals(third, read(again, third.sourceSeq, third.sourcePictureId),
                    "same sequence number, timestamp, picture id and TL0PICIDX, though offsets moved on since");
            f.rewriter.writeRetransmission(source, rtx, f.rewriter.history().slotOf(third.seq), 0x99, 101, 7);
            assertEquals(third.seq, rtx.getUnsignedShort(12), "RFC 4588 OSN is the output sequence number");
            assertEquals(ByteBufUtil.hexDump(again, 12, again.readableBytes() - 12),
                    ByteBufUtil.hexDump(rtx, 14, rtx.readableBytes() - 14), "RTX payload is the rewritten payload");
        } finally {
            again.release();
            rtx.release();
        }
    }

    @Test
    void sourceSequenceAndPictureIdWrapWhileDropping() {
        for (boolean longPictureId : new boolean[] {false, true}) {
            int mask = longPictureId ? 0x7FFF : 0x7F;
            Forwarder f = new Forwarder(40_000);
            f.filter.setTarget(0);
            Publisher p = new Publisher(65_520, 0xFFFF_0000L, mask - 9, longPictureId, 254);
            f.frames(p, 40); // source seq, picture id, TL0PICIDX and timestamp all wrap
            assertEquals(20, f.out.size());
            assertContinuous(f.out, mask);
            for (Out o : f.out) {
                assertEquals(o.sourceSeq, f.rewriter.history().sourceSequence(f.rewriter.history().slotOf(o.seq)));
            }
            assertEquals((mask - 9 + 9) & mask, f.out.get(19).pictureId, "ten frames forwarded: ids " + (mask - 9) + " + 0..9");
        }
    }

    @Test
    void aLatePacketOfAForwardedFrameTakesItsOwnPlaceAfterLaterDrops() {
        Forwarder f = new Forwarder(1000);
        f.filter.setTarget(0);
        Publisher p = new Publisher(1, 0, 50, true, 0);
        ByteBuf[] key = p.nextFrame();
        assertTrue(f.forward(key[0]));
        f.frames(p, 3); // TID 2, 1, 2 dropped
        ByteBuf[] next = p.nextFrame();
        assertTrue(f.forward(next[0]));
        assertTrue(f.forward(key[1]), "the key frame's second packet, reordered behind six drops");
        assertTrue(f.forward(next[1]));
        assertEquals(List.of(1000, 1002, 1001, 1003), f.out.stream().map(Out::seq).toList());
        assertEquals(List.of(50, 51, 50, 51), f.out.stream().map(Out::pictureId).toList());
        assertEquals(0L, f.out.get(2).timestamp - f.out.get(0).timestamp);
        assertEquals(2, f.rewriter.history().sourceSequence(f.rewriter.history().slotOf(1001)));
    }

    @Test
    void aSpatialSwitchKeepsTheStreamContinuousAndTheHistoryPerLayer() {
        Forwarder f = new Forwarder(7);
        f.filter.setTarget(0);
        f.rewriter.setSource(0);
        f.frames(new Publisher(100, 0, 10, true, 0), 8); // two TID 0 frames
        // DownTrack at a key frame of layer 2: switchSource, reset the filter.
        Publisher layer2 = new Publisher(30_000, 5_000_000, 900, true, 40);
        ByteBuf[] key = layer2.nextFrame();
        f.rewriter.setSource(2);
        f.rewriter.switchSource(RtpPacket.sequenceNumber(key[0]), RtpPacket.timestamp(key[0]), f.now + 33);
        f.filter.reset();
        f.forward(key[0]);
        f.forward(key[1]);
        f.frames(layer2, 7);
        assertEquals(8, f.out.size());
        assertContinuous(f.out, 0x7FFF);
        assertEquals(0, f.rewriter.history().source(f.rewriter.history().slotOf(f.out.get(3).seq)));
        int slot = f.rewriter.history().slotOf(f.out.get(4).seq);
        assertEquals(2, f.rewriter.history().source(slot));
        assertEquals(30_000, f.rewriter.history().sourceSequence(slot));
        assertEquals(30_009, f.rewriter.history().sourceSequence(f.rewriter.history().slotOf(f.out.get(7).seq)));
    }

    @Test
    void packetsWithoutTemporalLayersAreNeverDropped() {
        Forwarder f = new Forwarder(0);
        f.filter.setTarget(0);
        for (int i = 0; i < 6; i++) {
            assertTrue(f.forward(packet(i, 3000L * i, i, true, -1, -1, false, true, i == 0, true)));
        }
        ByteBuf malformed = Unpooled.buffer().writeByte(0x80).writeByte(96).writeShort(6).writeInt(18_000).writeInt(1)
                .writeByte(0x80); // X set, then nothing: truncated descriptor
        assertTrue(f.forward(malformed), "a malformed descriptor is the decoder's business");
        assertEquals(7, f.out.size());
        assertContinuous(f.out.subList(0, 6), 0x7FFF);
    }

    @Test
    void forwardingWithDropsAllocatesNothingPerPacket() {
        StreamRewriter rewriter = new StreamRewriter(0x1234, 100, 90_000, true, 3);
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        filter.setTarget(1);
        Publisher p = new Publisher(0, 0, 0, true, 0);
        ByteBuf[][] frames = new ByteBuf[4][];
        for (int i = 0; i < 4; i++) {
            frames[i] = p.nextFrame();
            kept.add(frames[i][0]);
            kept.add(frames[i][1]);
        }
        rewriter.start(0, 0, 0, 0);
        ByteBuf out = Unpooled.buffer(256);
        kept.add(out);
        int rounds = 20_000;
        long written = cycle(rewriter, filter, frames, out, 0, rounds); // warm up
        assertEquals(rounds * 4L, written, "half of the packets (TID 2 frames) dropped");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(thread);
        written = cycle(rewriter, filter, frames, out, rounds, rounds);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(rounds * 4L, written);
        assertTrue(allocated < 4096, allocated + " bytes allocated over " + rounds * 8 + " packets");
        int slot = rewriter.history().slotOf(RtpPacket.sequenceNumber(out));
        assertTrue(slot >= 0);
    }

    /** Re-sends the same four frames with advancing seq, timestamp, picture id and TL0PICIDX. */
    private static long cycle(StreamRewriter rewriter, Vp8TemporalFilter filter, ByteBuf[][] frames, ByteBuf out,
                              int from, int rounds) {
        long written = 0;
        for (int round = from; round < from + rounds; round++) {
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < 2; k++) {
                    ByteBuf packet = frames[i][k];
                    int frame = round * 4 + i;
                    RtpPacket.setSequenceNumber(packet, (frame * 2 + k) & 0xFFFF);
                    RtpPacket.setTimestamp(packet, (frame * 3000L) & 0xFFFFFFFFL);
                    int offset = RtpPacket.payloadOffset(packet);
                    int length = RtpPacket.payloadLength(packet);
                    Vp8PayloadDescriptor.setPictureId(packet, offset, length, frame);
                    Vp8PayloadDescriptor.setTl0PicIdx(packet, offset, length, round);
                    if (filter.accept(packet, false, rewriter)) {
                        out.clear();
                        rewriter.write(packet, out, round, frame);
                        written++;
                    }
                }
            }
        }
        return written;
    }

    @Test
    void theFilterStartsWithEverything() {
        Vp8TemporalFilter filter = new Vp8TemporalFilter();
        assertEquals(Vp8TemporalFilter.ALL, filter.current());
        filter.setTarget(7);
        assertEquals(Vp8TemporalFilter.ALL, filter.target(), "clamped to the two-bit TID");
        filter.setTarget(-2);
        assertEquals(0, filter.target());
        assertFalse(filter.current() == filter.target(), "not in force before a frame boundary");
    }
}
