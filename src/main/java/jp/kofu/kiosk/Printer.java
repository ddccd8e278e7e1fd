package jp.kofu.kiosk;

/** Where the kiosk prints a signed certificate: the OS print queue, or a folder in demos and tests. */
public interface Printer {
    /** Prints every page of {@code pdf}; a failure (no paper, printer offline) is a {@link PrintFailure}. */
    void print(String issuanceNumber, byte[] pdf);

    /** A print that did not happen; {@code reason} is an upper-case code for the completion (e.g. PRINTER_ERROR). */
    final class PrintFailure extends RuntimeException {
        private final String reason;

        public PrintFailure(String reason, String detail, Throwable cause) {
            super(detail, cause);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
