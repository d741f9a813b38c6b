package dev.prism.signaling.auth;

/** A refused token: 401 when it does not authenticate, 403 when it does but grants too little. */
public final class TokenException extends RuntimeException {
    private final int status;

    public TokenException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
