package dev.prism.sdp;

/**
 * {@code a=rid:<id> <send|recv> [<restrictions>]} (RFC 8851 §10); restrictions (e.g.
 * {@code pt=96;max-width=1280}) are kept verbatim, null when absent.
 */
public record Rid(String id, Direction direction, String restrictions) {
    public enum Direction { SEND, RECV }

    static Rid parse(String value) {
        String[] h = SdpValues.head(value, 2);
        if (h == null) throw new SdpParseException("a=rid needs an id and a direction");
        Direction d = switch (h[1]) {
            case "send" -> Direction.SEND;
            case "recv" -> Direction.RECV;
            default -> throw new SdpParseException("a=rid direction must be send or recv: '" + h[1] + "'");
        };
        return new Rid(h[0], d, h[2]);
    }

    String toSdpValue() {
        String d = direction == Direction.SEND ? "send" : "recv";
        return id + ' ' + d + (restrictions != null ? " " + restrictions : "");
    }
}
