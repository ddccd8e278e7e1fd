package jp.kofu.koseki;

/**
 * What one call to a 戸籍システム came to (contract §9). The caller maps it in one place: {@link Answered} → go on,
 * {@link NotIssuable} → {@code 422 NOT_ISSUABLE}, {@link Unavailable} and {@link Mismatch} → {@code 503
 * SERVICE_UNAVAILABLE}, nothing issued. A {@link Mismatch} has already been logged as an ALARM on
 * {@code kofu.ops.koseki}; it is never retried by the connector.
 *
 * @param <T> what an answer holds: a {@link KosekiAnswer}, or the person key of a lookup
 */
public sealed interface KosekiResult<T> {

    /** The 戸籍システム answered, and the answer passed every check of §9. */
    record Answered<T>(T value) implements KosekiResult<T> {
        @Override
        public String toString() {
            return "Answered[…]"; // an answer is personal data: never in a log line
        }
    }

    /** {@code 404 NOT_FOUND} or {@code 409 PENDING_NOTIFICATION}: the 戸籍システム will not give this certificate now. */
    record NotIssuable<T>(NotIssuableReason reason) implements KosekiResult<T> {}

    /** No usable answer: timeout, no connection, 5xx, an unexpected status, too many calls, or the breaker open. */
    record Unavailable<T>(UnavailableReason reason) implements KosekiResult<T> {}

    /**
     * An answer that is not the answer to this call (another request's, another person's, another kind, not the
     * persons asked) or not an answer at all (malformed): refused whole, alarmed (川崎市 2023).
     */
    record Mismatch<T>(String requestId, MismatchReason reason) implements KosekiResult<T> {}

    enum NotIssuableReason { NOT_FOUND, PENDING_NOTIFICATION }

    enum UnavailableReason {
        /** No whole answer within {@code timeoutMs}. */
        TIMEOUT,
        /** Connection refused or broken, TLS handshake failed (e.g. a server certificate not from {@code trust}). */
        CONNECTION,
        /** A 5xx answer. */
        SERVER_ERROR,
        /** Any other status, or a 404/409 without its contract code. */
        UNEXPECTED_ANSWER,
        /** {@code maxConcurrentCalls} calls were already in flight for this municipality. */
        BUSY,
        /** The circuit breaker is open after repeated failures: the 戸籍システム was not called. */
        BREAKER_OPEN,
        /** The thread was interrupted while waiting. */
        INTERRUPTED,
        /** The municipality has no {@code koseki} link in the municipalities file. */
        NO_LINK
    }

    enum MismatchReason {
        /** The answer's {@code requestId} is not the call's. */
        REQUEST_ID,
        /** The answer's {@code personKey} is not the requester's. */
        PERSON_KEY,
        /** The answer's {@code kind} is not the one asked. */
        KIND,
        /** The requester is not among the persons of a 全部事項 answer. */
        REQUESTER_MISSING,
        /** The persons of a 個人事項 or 附票 answer are not exactly the targets asked (or one appears twice). */
        TARGETS,
        /** Not JSON, or a required field missing or of the wrong form. */
        MALFORMED
    }
}
