package jp.kofu.pki;

/** A key, certificate, CRL or keystore could not be made, read or written. */
public final class PkiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }

    public PkiException(String message) {
        super(message);
    }
}
