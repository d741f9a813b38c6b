package dev.prism.sdp;

/** The media type of an m= line; {@link #OTHER} for types Prism does not know (text, message...). */
public enum MediaKind {
    AUDIO("audio"), VIDEO("video"), APPLICATION("application"), OTHER("");

    private final String token;

    MediaKind(String token) { this.token = token; }

    public String token() { return token; }

    public static MediaKind of(String media) {
        for (MediaKind k : values()) {
            if (k != OTHER && k.token.equals(media)) return k;
        }
        return OTHER;
    }
}
