package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import jp.kofu.audit.IssuanceLogEntry;
import jp.kofu.card.CardRequestVerifier;
import jp.kofu.card.CardVerification;
import jp.kofu.config.KofuSettings;
import jp.kofu.http.Caller;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.JsonFields;
import jp.kofu.contract.Refusal;
import jp.kofu.contract.Sha256;
import jp.kofu.contract.Tokyo;
import jp.kofu.municipality.KioskTerminals;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Admission of a card-signed request, the same for every certificate type and listing (contract §2, §7): the outer
 * body, the caller's kept answer for a retry, the card's signature and certificate, the payload, the municipality,
 * the freshness window, the caller's right to the channel and terminal id, and the rate limits. Nothing here
 * touches the replica or spends the nonce: that is the transaction's first step.
 */
@Singleton
final class CardAdmission {
    static final int MAX_BODY = 64 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final CenterTransactions transactions;
    private final CardRequestVerifier verifier;
    private final MunicipalityRegistry municipalities;
    private final RateLimits rateLimits;
    private final KioskTerminals kioskTerminals;
    private final Clock clock;
    private final Duration window;

    CardAdmission(CenterTransactions transactions, CardRequestVerifier verifier, MunicipalityRegistry municipalities,
                  RateLimits rateLimits, KioskTerminals kioskTerminals, Clock clock, KofuSettings settings) {
        this.transactions = transactions;
        this.verifier = verifier;
        this.municipalities = municipalities;
        this.rateLimits = rateLimits;
        this.kioskTerminals = kioskTerminals;
        this.clock = clock;
        this.window = settings.requestWindow();
    }

    Admission admit(byte[] body, Caller caller, IssuanceLogEntry.Endpoint endpoint) {
        RequestFacts facts = RequestFacts.of(caller, endpoint);
        try {
            if (body.length > MAX_BODY) {
                throw new Refusal(ErrorCode.MALFORMED_REQUEST, "body over 64 KiB");
            }
            JsonFields f = new JsonFields(Json.parseObject(body, "body"), "body");
            String centerTransactionId = f.matching("centerTransactionId", TOKEN);
            String storeCode = f.optionalText("storeCode", 64).orElse(null);
            facts = facts.withBody(centerTransactionId, storeCode, Sha256.hex(body));
            if (storeCode != null && !TOKEN.matcher(storeCode).matches()) {
                throw f.malformed("storeCode", "has the wrong format");
            }
            String jws = f.text("cardRequest", MAX_BODY);

            // Only the caller's own transaction ids: the same id from another caller is another transaction (§7).
            Optional<CenterTransactions.Answer> earlier = transactions.find(caller, centerTransactionId);
            if (earlier.isPresent()) {
                Optional<Answer> repeated = repeat(facts, earlier.get());
                if (repeated.isPresent()) {
                    return new Admission.Repeated(facts, repeated.get());
                }
            }
            CardVerification verification = verifier.verify(jws);
            if (verification instanceof CardVerification.Rejected rejected) {
                return new Admission.Refused(facts, cardRefusal(rejected));
            }
            CardVerification.Verified verified = (CardVerification.Verified) verification;
            facts = facts.withCard(verified.card());
            CardRequest request = CardRequest.parse(verified.payload());
            facts = facts.withRequest(request);
            Municipality municipality = municipalities.find(request.municipalityCode())
                    .orElseThrow(() -> new Refusal(ErrorCode.UNKNOWN_MUNICIPALITY, "municipality not served"));
            Instant now = clock.instant();
            if (Duration.between(request.signedAt().toInstant(), now).abs().compareTo(window) > 0) {
                throw new Refusal(ErrorCode.REQUEST_EXPIRED, "signedAt outside the window");
            }
            if (!verifier.isValidAt(verified.card(), request.signedAt().toInstant())) {
                throw new Refusal(ErrorCode.CARD_EXPIRED, "card not valid at signedAt");
            }
            // A kiosk's certificate only its own terminal's KIOSK requests; KIOSK only from a registered kiosk (§7).
            kioskTerminals.check(caller, request.channel() == CardRequest.Channel.KIOSK, request.municipalityCode(),
                    request.terminalId(), now.atZone(Tokyo.ZONE).toLocalTime());
            facts = facts.authenticated();
            if (!rateLimits.admit(request.terminalId(), verified.card().id().issuerKey() + "#"
                    + verified.card().id().serialHex())) {
                throw new Refusal(ErrorCode.RATE_LIMITED, "terminal or card over its per-minute limit");
            }
            return new Admission.Admitted(facts, municipality, now);
        } catch (Refusal r) {
            return new Admission.Refused(facts, r);
        }
    }

    /**
     * The kept answer of the caller's earlier request with this id: the same body gets the same answer, another
     * body is a conflict; an answer past its keeping time, or still being made, is no answer.
     */
    private Optional<Answer> repeat(RequestFacts facts, CenterTransactions.Answer earlier) {
        if (!earlier.bodySha256().equals(facts.bodySha256())) {
            throw new Refusal(ErrorCode.TRANSACTION_CONFLICT, "same transaction id, different body");
        }
        if (earlier.createdAt().isBefore(clock.instant().minus(CenterTransactions.KEEP)) || earlier.status() == 0) {
            return Optional.empty();
        }
        return Optional.of(new Answer(earlier.status(), earlier.body()));
    }

    private static Refusal cardRefusal(CardVerification.Rejected rejected) {
        return switch (rejected.failure()) {
            case MALFORMED -> new Refusal(ErrorCode.MALFORMED_REQUEST, "cardRequest is not a JWS with x5c");
            case SIGNATURE_INVALID -> new Refusal(ErrorCode.SIGNATURE_INVALID, "JWS signature or header refused");
            case CARD_UNTRUSTED -> new Refusal(ErrorCode.CARD_UNTRUSTED, "card certificate not trusted");
            case CARD_EXPIRED -> new Refusal(ErrorCode.CARD_EXPIRED, "card certificate outside its validity");
            case CARD_REVOKED -> new Refusal(ErrorCode.CARD_REVOKED, "card certificate on a CRL");
            case REVOCATION_UNKNOWN -> new Refusal(ErrorCode.SERVICE_UNAVAILABLE,
                    "no current CRL for the card's CA: failing closed");
        };
    }

}
