package jp.kofu.kiosk.reader;

/** What the card answered to a PIN. */
public sealed interface PinCheck {
    /** The PIN was right; the card will sign until the session ends. */
    record Accepted() implements PinCheck {}

    /** The PIN was wrong; {@code remainingTries} more may be tried (at least 1). */
    record Wrong(int remainingTries) implements PinCheck {}

    /** The card is locked: only the city hall can unlock it (暗証番号の初期化). */
    record Locked() implements PinCheck {}
}
