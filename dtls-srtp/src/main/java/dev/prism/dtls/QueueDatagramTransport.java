package dev.prism.dtls;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Bouncy Castle's blocking datagram interface over a queue: the event loop offers received
 * records, the handshake thread takes them; records to send go to the listener.
 */
final class QueueDatagramTransport implements DatagramTransport {
    /** Leaves room for IP/UDP headers under a conservative path MTU. */
    static final int MTU = 1200;
    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(64);
    private final DtlsTransport.Listener listener;
    private volatile boolean closed;

    QueueDatagramTransport(DtlsTransport.Listener listener) {
        this.listener = listener;
    }

    /** From any thread; drops the record when the queue is full (DTLS retransmits). */
    boolean offer(byte[] record) {
        return !closed && received.offer(record);
    }

    @Override
    public int getReceiveLimit() {
        return 1500;
    }

    @Override
    public int getSendLimit() {
        return MTU - 28;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        byte[] record;
        try {
            record = received.poll(Math.max(1, waitMillis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (record == null) {
            return -1;
        }
        if (record == CLOSED) {
            throw new IOException("DTLS transport closed");
        }
        int n = Math.min(len, record.length);
        System.arraycopy(record, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        listener.sendDatagram(Unpooled.wrappedBuffer(copy));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            received.clear();
            received.offer(CLOSED);
        }
    }

    boolean isClosed() {
        return closed;
    }
}
