package dev.prism.signaling;

/** A refusal with an HTTP status and a stable machine-readable code, e.g. 400 "bad_sdp". */
public class SignalingException extends RuntimeException {
    private final int status;
    private final String code;

    public SignalingException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() { return status; }

    public String code() { return code; }
}
