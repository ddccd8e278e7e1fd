package jp.kofu.pdf;

/** A signed certificate, or why it cannot be printed (for the operations log; no personal data). */
public sealed interface PrintOutcome {
    record Printed(byte[] signedPdf, int pageCount) implements PrintOutcome {}

    record NotPrintable(String reason) implements PrintOutcome {}
}
