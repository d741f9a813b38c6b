package dev.prism.sdp;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285 §8). Direction and
 * attributes are null when absent.
 */
public record ExtMap(int id, Direction direction, String uri, String attributes) {

    public ExtMap(int id, String uri) {
        this(id, null, uri, null);
    }

    static ExtMap parse(String value) {
        String[] h = SdpValues.head(value, 2);
        if (h == null) throw new SdpParseException("a=extmap needs an id and a URI");
        String idPart = h[0];
        Direction dir = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            dir = Direction.of(idPart.substring(slash + 1));
            if (dir == null) throw new SdpParseException("a=extmap has an unknown direction '" + idPart + "'");
            idPart = idPart.substring(0, slash);
        }
        // RFC 8285 §5: 1-14 one-byte, 1-255 two-byte header (0 is padding).
        int id = SdpValues.parseInt(idPart, 1, 255, "extmap id");
        return new ExtMap(id, dir, h[1], h[2]);
    }

    String toSdpValue() {
        StringBuilder sb = new StringBuilder().append(id);
        if (direction != null) sb.append('/').append(direction.token());
        sb.append(' ').append(uri);
        if (attributes != null) sb.append(' ').append(attributes);
        return sb.toString();
    }
}
