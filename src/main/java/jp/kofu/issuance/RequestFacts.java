package jp.kofu.issuance;

import jp.kofu.audit.IssuanceLogEntry;
import jp.kofu.card.CardCertificate;
import jp.kofu.http.Caller;

/**
 * What is known of a card-signed request as far as it got, for its log row and its kept answer: the caller and the
 * endpoint always, the outer body's fields once read, the card once its signature verified, the payload once parsed.
 *
 * @param authentic   true once the card's signature, certificate and freshness are verified: only then is a refusal
 *                    kept as the answer of the transaction id and its nonce spent
 * @param requesterId the card holder's resident id, once found in the replica
 * @param printedIds  the resident ids to be printed, comma-separated, once chosen
 */
record RequestFacts(Caller caller, IssuanceLogEntry.Endpoint endpoint, String centerTransactionId, String storeCode,
                    String bodySha256, CardCertificate card, CardRequest request, boolean authentic,
                    String requesterId, String printedIds) {

    static RequestFacts of(Caller caller, IssuanceLogEntry.Endpoint endpoint) {
        return new RequestFacts(caller, endpoint, null, null, null, null, null, false, null, null);
    }

    RequestFacts withBody(String centerTransactionId, String storeCode, String bodySha256) {
        return new RequestFacts(caller, endpoint, centerTransactionId, storeCode, bodySha256, card, request, authentic,
                requesterId, printedIds);
    }

    RequestFacts withCard(CardCertificate card) {
        return new RequestFacts(caller, endpoint, centerTransactionId, storeCode, bodySha256, card, request, authentic,
                requesterId, printedIds);
    }

    RequestFacts withRequest(CardRequest request) {
        return new RequestFacts(caller, endpoint, centerTransactionId, storeCode, bodySha256, card, request, authentic,
                requesterId, printedIds);
    }

    RequestFacts authenticated() {
        return new RequestFacts(caller, endpoint, centerTransactionId, storeCode, bodySha256, card, request, true,
                requesterId, printedIds);
    }

    RequestFacts withRequester(String requesterId) {
        return new RequestFacts(caller, endpoint, centerTransactionId, storeCode, bodySha256, card, request, authentic,
                requesterId, printedIds);
    }

    RequestFacts withPrinted(String printedIds) {
        return new RequestFacts(caller, endpoint, centerTransactionId, storeCode, bodySha256, card, request, authentic,
                requesterId, printedIds);
    }

    /** A log row of this request with what is known of it filled in. */
    IssuanceLogEntry.Builder logRow(java.time.Instant now, IssuanceLogEntry.Result result) {
        IssuanceLogEntry.Builder row = IssuanceLogEntry.of(now, endpoint, result)
                .storeCode(storeCode)
                .centerTransactionId(centerTransactionId)
                .caller(caller.toString())
                .requesterId(requesterId)
                .printedIds(printedIds);
        if (card != null) {
            row.card(card.id().issuerKey(), card.id().serialHex());
        }
        if (request != null) {
            row.municipality(request.municipalityCode())
                    .channel(request.channel().name())
                    .terminalId(request.terminalId())
                    .certificateType(request.certificateType())
                    .copies(request.copies());
            if (endpoint == IssuanceLogEntry.Endpoint.ISSUANCE) {
                row.scope(request.scope().name());
            }
        }
        return row;
    }
}
