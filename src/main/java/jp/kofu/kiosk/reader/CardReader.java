package jp.kofu.kiosk.reader;

/**
 * The card reader attached to a kiosk. The card's private key never leaves the card: callers get the certificate,
 * ask the card to check the PIN, and hand it a DigestInfo to sign.
 */
public interface CardReader {
    /** True while a card lies on (or in) the reader. */
    boolean isCardPresent();

    /** Opens the card in the reader for one session; {@link CardReaderException} when there is none or it cannot be read. */
    CardConnection connect();
}
