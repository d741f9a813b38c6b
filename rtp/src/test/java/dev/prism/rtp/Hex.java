package dev.prism.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** Test vectors written as hex with spaces and comments ("# ..." to end of line). */
public final class Hex {
    private Hex() {}

    public static byte[] bytes(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            sb.append(hash >= 0 ? line.substring(0, hash) : line);
        }
        return ByteBufUtil.decodeHexDump(sb.toString().replaceAll("\\s+", ""));
    }

    public static String of(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }
}
