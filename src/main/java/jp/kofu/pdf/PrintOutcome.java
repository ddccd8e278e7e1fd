package jp.kofu.pdf;

/** STUB until the pdf branch lands. */
public sealed interface PrintOutcome {
    record Printed(byte[] signedPdf, int pageCount) implements PrintOutcome {}

    record NotPrintable(String reason) implements PrintOutcome {}
}
