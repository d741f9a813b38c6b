package dev.prism.sfu.cc;

import dev.prism.rtcp.RtcpHeader;
import io.netty.buffer.ByteBuf;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Debugging aid: records what one subscriber's {@link SendSideBandwidthEstimator} is fed, so a
 * real link's behaviour can be replayed in a unit test (SendSideBandwidthEstimatorTraceTest).
 * Enabled by the system property {@code prism.twccTrace} naming a directory (read once, at class
 * load); unset, {@link #open} returns null and the packet path pays one null check.
 *
 * <p>Text, one event a line, times in microseconds on the sender's clock exactly as passed to
 * the estimator: {@code S <micros> <transportSeq> <sizeBytes>} for each packet sent, {@code F
 * <micros> <hex>} for each transport-wide CC feedback packet (its bytes from the RTCP header on,
 * the header's length). Lines starting with {@code #} are comments. Loop thread only; writes go
 * through a buffer flushed when full, at least once a second of feedback, and on {@link #close}.
 */
public final class TwccTraceRecorder {
    /** The directory from {@code -Dprism.twccTrace=DIR}, or null when recording is off. */
    static final String DIRECTORY = System.getProperty("prism.twccTrace");
    private static final Logger LOG = Logger.getLogger(TwccTraceRecorder.class.getName());
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long FLUSH_MICROS = 1_000_000;

    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int used;
    private long lastFlushMicros;
    private boolean failed;

    TwccTraceRecorder(OutputStream out) {
        this.out = out;
    }

    /**
     * A recorder writing {@code twcc-<transportId>.txt} in the configured directory, or null when
     * recording is off or the file cannot be made (logged).
     */
    public static TwccTraceRecorder open(String transportId) {
        if (DIRECTORY == null) {
            return null;
        }
        Path file = Path.of(DIRECTORY, "twcc-" + transportId.replaceAll("[^A-Za-z0-9_-]", "_") + ".txt");
        try {
            TwccTraceRecorder r = new TwccTraceRecorder(new FileOutputStream(file.toFile()));
            r.ascii("# prism transport-wide CC trace, transport " + transportId + "\n");
            return r;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record a TWCC trace to " + file, e);
            return null;
        }
    }

    /** A packet left with {@code transportSeq}, {@code sizeBytes} as the estimator was told. */
    public void sent(long micros, int transportSeq, int sizeBytes) {
        put('S');
        put(' ');
        decimal(micros);
        put(' ');
        decimal(transportSeq);
        put(' ');
        decimal(sizeBytes);
        put('\n');
    }

    /** A transport-wide CC feedback packet whose RTCP header starts at {@code offset}. */
    public void feedback(long micros, ByteBuf packet, int offset) {
        int end = Math.min(packet.writerIndex(), offset + RtcpHeader.packetLength(packet, offset));
        put('F');
        put(' ');
        decimal(micros);
        put(' ');
        for (int i = offset; i < end; i++) {
            int b = packet.getUnsignedByte(i);
            put(HEX[b >> 4]);
            put(HEX[b & 15]);
        }
        put('\n');
        if (micros - lastFlushMicros >= FLUSH_MICROS) {
            lastFlushMicros = micros;
            flush();
        }
    }

    /** Writes what is buffered and closes the file (the transport closed). */
    public void close() {
        flush();
        try {
            out.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing a TWCC trace", e);
        }
        failed = true;
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    private void decimal(long value) {
        if (value < 0) {
            put('-');
            value = -value;
        }
        long div = 1;
        while (div <= value / 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            put((int) ('0' + value / div % 10));
        }
    }

    private void put(int b) {
        if (used == buffer.length) {
            flush();
        }
        buffer[used++] = (byte) b;
    }

    private void flush() {
        if (!failed && used > 0) {
            try {
                out.write(buffer, 0, used);
            } catch (IOException e) {
                failed = true; // one warning, then the trace stops growing; media is unaffected
                LOG.log(Level.WARNING, "writing a TWCC trace failed; recording stops", e);
            }
        }
        used = 0;
    }
}
