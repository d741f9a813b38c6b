package dev.prism.sdp;

/** Media direction attributes (RFC 8866 §6.7); also the optional direction of an a=extmap. */
public enum Direction {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String token;

    Direction(String token) { this.token = token; }

    public String token() { return token; }

    /** The direction the other side uses in its answer (RFC 8829 §5.3.1). */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    public boolean sends() { return this == SENDRECV || this == SENDONLY; }

    public boolean receives() { return this == SENDRECV || this == RECVONLY; }

    /** The enum for an attribute name, or null when it is not a direction. */
    static Direction of(String token) {
        for (Direction d : values()) {
            if (d.token.equals(token)) return d;
        }
        return null;
    }
}
