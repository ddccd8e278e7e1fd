package jp.kofu.kiosk.reader;

import java.security.cert.X509Certificate;

/**
 * One session with an Individual Number Card's JPKI user-authentication application (利用者証明用電子証明書).
 * Closing it ends the session; the card forgets that its PIN was verified.
 */
public interface CardConnection extends AutoCloseable {
    /** The 利用者証明用電子証明書, readable without the PIN. */
    X509Certificate certificate();

    /** How many PIN attempts are left before the card locks itself (0: locked), without using one. */
    int remainingTries();

    /** Asks the card to check a 4-digit PIN; the card counts failures and locks after the third. */
    PinCheck verifyPin(String pin);

    /**
     * The card's RSA PKCS#1 v1.5 signature of {@code digestInfo} (a DER DigestInfo, here of SHA-256), made with the
     * key of {@link #certificate()} inside the card. Only after {@link #verifyPin} was {@link PinCheck.Accepted}.
     */
    byte[] sign(byte[] digestInfo);

    @Override
    void close();
}
