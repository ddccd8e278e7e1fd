package jp.kofu.kiosk.reader;

/** The card could not be read or did not do what was asked; {@link Reason} says what to show the resident. */
public final class CardReaderException extends RuntimeException {
    public enum Reason {
        /** No card on the reader. */
        NO_CARD,
        /** A card that is not an Individual Number Card, or whose JPKI application does not answer as expected. */
        NOT_A_JPKI_CARD,
        /** The reader or the card stopped answering (card moved away, reader unplugged). */
        COMMUNICATION,
        /** The card refused to sign (PIN not verified, locked). */
        REFUSED
    }

    private final Reason reason;

    public CardReaderException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public CardReaderException(Reason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
