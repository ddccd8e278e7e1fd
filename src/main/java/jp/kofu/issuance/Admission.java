package jp.kofu.issuance;

import jp.kofu.contract.Refusal;
import jp.kofu.municipality.Municipality;

import java.time.Instant;

/**
 * What came of admitting a card-signed request (the checks every type and listing makes once, before its
 * transaction): admitted, answered by the caller's kept answer for the same transaction, or refused.
 */
sealed interface Admission {
    RequestFacts facts();

    /** The card signed it, it is fresh, the caller may send it, and the municipality is served. */
    record Admitted(RequestFacts facts, Municipality municipality, Instant now) implements Admission {
        CardRequest request() {
            return facts.request();
        }
    }

    /** A retry of the caller's own transaction within the time answers are kept: the same answer again. */
    record Repeated(RequestFacts facts, Answer answer) implements Admission {}

    record Refused(RequestFacts facts, Refusal refusal) implements Admission {}
}
