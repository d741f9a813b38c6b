package dev.prism.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Client-to-mixer audio level header extension (RFC 6464 §3): one byte, V (voice activity)
 * in the top bit and the level in -dBov (0 loudest, 127 silence) in the low 7 bits.
 */
public final class AudioLevel {
    public static final int LENGTH = 1;
    /** RFC 6464 §3: 127 means -127 dBov, i.e. silence (digital silence is also sent as 127). */
    public static final int SILENCE = 127;

    private AudioLevel() {}

    public static boolean voiceActivity(ByteBuf buf, int index) {
        return (buf.getByte(index) & 0x80) != 0;
    }

    /** Level in -dBov, 0..127. */
    public static int level(ByteBuf buf, int index) {
        return buf.getByte(index) & 0x7F;
    }

    public static void write(ByteBuf buf, int index, boolean voiceActivity, int level) {
        buf.setByte(index, (voiceActivity ? 0x80 : 0) | (level & 0x7F));
    }
}
