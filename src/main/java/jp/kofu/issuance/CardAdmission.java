package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.audit.IssuanceLogEntry;
import jp.kofu.card.CardRequestVerifier;
import jp.kofu.card.CardVerification;
import jp.kofu.config.KofuSettings;
import jp.kofu.http.Caller;
import jp.kofu.http.LogContext;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.JsonFields;
import jp.kofu.contract.Refusal;
import jp.kofu.contract.Sha256;
import jp.kofu.contract.Tokyo;
import jp.kofu.municipality.KioskTerminals;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.municipality.TypeStops;

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
public final class CardAdmission {
    public static final int MAX_BODY = 64 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final CenterTransactions transactions;
    private final CardRequestVerifier verifier;
    private final MunicipalityRegistry municipalities;
    private final RateLimits rateLimits;
    private final KioskTerminals kioskTerminals;
    private final TypeStops typeStops;
    private final Clock clock;
    private final Duration window;
    private final IssuanceMeters meters;

    CardAdmission(CenterTransactions transactions, CardRequestVerifier verifier, MunicipalityRegistry municipalities,
                  RateLimits rateLimits, KioskTerminals kioskTerminals, TypeStops typeStops, Clock clock,
                  KofuSettings settings, IssuanceMeters meters) {
        this.transactions = transactions;
        this.verifier = verifier;
        this.municipalities = municipalities;
        this.rateLimits = rateLimits;
        this.kioskTerminals = kioskTerminals;
        this.typeStops = typeStops;
        this.clock = clock;
        this.window = settings.requestWindow();
        this.meters = meters;
    }

    Admission admit(byte[] body, Caller caller, IssuanceLogEntry.Endpoint endpoint) {
        RequestFacts facts = RequestFacts.of(caller, endpoint);
        try {
            if (body.length > MAX_BODY) {
                throw new Refusal(ErrorCode.MALFORMED_REQUEST, "body over 64 KiB");
            }
            JsonFields f = new JsonFields(Json.parseObject(body, "body"), "body");
            String centerTransactionId = f.matching("centerTransactionId", TOKEN);
            // The one place a card-signed request's transaction id becomes known: the rest of its lines carry it.
            LogContext.transaction(centerTransactionId);
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
            // The settings of this moment (the file's last reload, the console's stops) for the whole request.
            Municipality municipality = municipalities.find(request.municipalityCode()).map(typeStops::applyTo)
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

    // ---- the card-signed endpoints of other packages (本籍地 利用登録: jp.kofu.koseki.registration) ----

    /**
     * Admits a card-signed request of an endpoint outside this package exactly as {@link #admit} admits the
     * issuance endpoints' requests; the {@link Verdict} also carries the steps of its transaction that every
     * card-signed request takes (claim the caller's transaction id and spend the nonce, keep the answer or the
     * refusal) and its log row.
     */
    public Verdict admitElsewhere(byte[] body, Caller caller, IssuanceLogEntry.Endpoint endpoint) {
        return new Verdict(admit(body, caller, endpoint), endpoint, meters);
    }

    /** What came of {@link #admitElsewhere}: admitted, answered by the caller's kept answer, or refused. */
    public static final class Verdict {
        public enum Kind { ADMITTED, REPEATED, REFUSED }

        private final Admission admission;
        private final IssuanceLogEntry.Endpoint endpoint;
        private final IssuanceMeters meters;

        private Verdict(Admission admission, IssuanceLogEntry.Endpoint endpoint, IssuanceMeters meters) {
            this.admission = admission;
            this.endpoint = endpoint;
            this.meters = meters;
        }

        /** Counts the request's answer in {@code kofu_issuances_total} ({@link IssuanceMeters}), once. */
        public void answered(IssuanceLogEntry.Result result, ErrorCode code) {
            meters.answered(endpoint, admission.facts(), result, code, System.nanoTime());
        }

        public Kind kind() {
            return admission instanceof Admission.Admitted ? Kind.ADMITTED
                    : admission instanceof Admission.Repeated ? Kind.REPEATED : Kind.REFUSED;
        }

        /** The refusal of a REFUSED request. */
        public Refusal refusal() {
            return ((Admission.Refused) admission).refusal();
        }

        /** The kept answer of a REPEATED request: HTTP status and body. */
        public int repeatedStatus() {
            return ((Admission.Repeated) admission).answer().status();
        }

        public byte[] repeatedBody() {
            return ((Admission.Repeated) admission).answer().body();
        }

        /** The municipality of an ADMITTED request. */
        public Municipality municipality() {
            return ((Admission.Admitted) admission).municipality();
        }

        /** The time an ADMITTED request was admitted at. */
        public Instant now() {
            return ((Admission.Admitted) admission).now();
        }

        /** The card certificate that signed an ADMITTED request. */
        public jp.kofu.card.CardCertificate card() {
            return admission.facts().card();
        }

        public String certificateType() {
            return admission.facts().request().certificateType();
        }

        public String centerTransactionId() {
            return admission.facts().centerTransactionId();
        }

        /** A row of the issuance log with what is known of the request filled in. */
        public IssuanceLogEntry.Builder logRow(Instant at, IssuanceLogEntry.Result result) {
            return admission.facts().logRow(at, result);
        }

        /**
         * The first step of an ADMITTED request's transaction: claims the caller's transaction id (false when a
         * request with the same id committed first) and spends the nonce ({@code REPLAYED} thrown).
         */
        public boolean claim(java.sql.Connection c) throws java.sql.SQLException {
            return CenterTransactions.claimWithNonce(c, (Admission.Admitted) admission);
        }

        /** Keeps the answer of the claimed transaction id, on the claiming transaction. */
        public void keepAnswer(java.sql.Connection c, int status, byte[] answer) throws java.sql.SQLException {
            RequestFacts f = admission.facts();
            CenterTransactions.answer(c, f.caller(), f.centerTransactionId(), status, answer, "");
        }

        /**
         * Keeps a refusal as the answer of the transaction id and spends the nonce, as issuance does: only for an
         * authentic request, and never a 503 or 429 (a retry may succeed).
         */
        public void keepRefusal(java.sql.Connection c, Refusal r, byte[] answer, Instant at)
                throws java.sql.SQLException {
            CenterTransactions.keepRefusal(c, admission.facts(), r, answer, at);
        }
    }
}
