package dev.prism.demux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PacketClassifierTest {
    private static ByteBuf datagram(int first, int second, int length) {
        ByteBuf b = Unpooled.buffer(length);
        b.writeZero(length);
        if (length > 0) {
            b.setByte(0, first);
        }
        if (length > 1) {
            b.setByte(1, second);
        }
        if (length >= 8) {
            b.setInt(4, 0x2112A442);
        }
        return b;
    }

    @Test
    void rfc7983Ranges() {
        assertEquals(PacketClassifier.STUN, PacketClassifier.classify(datagram(0, 1, 20)));
        assertEquals(PacketClassifier.STUN, PacketClassifier.classify(datagram(3, 1, 28)));
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(datagram(4, 1, 28)));
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(datagram(19, 1, 28)), "ZRTP range");
        assertEquals(PacketClassifier.DTLS, PacketClassifier.classify(datagram(20, 0xfe, 28)));
        assertEquals(PacketClassifier.DTLS, PacketClassifier.classify(datagram(63, 0xfe, 28)));
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(datagram(64, 0, 28)), "TURN channel");
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(datagram(127, 0, 28)));
        assertEquals(PacketClassifier.RTP, PacketClassifier.classify(datagram(0x80, 96, 28)));
        assertEquals(PacketClassifier.RTP, PacketClassifier.classify(datagram(0x80, 0x80 | 96, 28)), "marker set");
        assertEquals(PacketClassifier.RTCP, PacketClassifier.classify(datagram(0x80, 200, 28)), "SR");
        assertEquals(PacketClassifier.RTCP, PacketClassifier.classify(datagram(0x81, 192, 28)));
        assertEquals(PacketClassifier.RTCP, PacketClassifier.classify(datagram(0x81, 223, 28)));
        assertEquals(PacketClassifier.RTP, PacketClassifier.classify(datagram(0x80, 224 & 0x7f | 0x80, 28)));
        assertEquals(PacketClassifier.RTP, PacketClassifier.classify(datagram(191, 35, 28)));
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(datagram(192, 0, 28)));
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(datagram(255, 0, 28)));
    }

    @Test
    void stunNeedsAWholeHeaderAndTheCookie() {
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(datagram(0, 1, 19)));
        ByteBuf noCookie = datagram(0, 1, 20);
        noCookie.setInt(4, 0);
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(noCookie));
    }

    @Test
    void emptyAndOneByteDatagrams() {
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(Unpooled.EMPTY_BUFFER));
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(datagram(0x80, 0, 1)));
        ByteBuf b = datagram(0x80, 200, 28);
        b.readerIndex(1);
        assertEquals(PacketClassifier.OTHER, PacketClassifier.classify(b), "classifies from the reader index");
        assertEquals(1, b.readerIndex());
    }
}
