package jp.kofu.koseki.registration;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import jp.kofu.audit.IssuanceLog;
import jp.kofu.audit.IssuanceLogEntry.Endpoint;
import jp.kofu.audit.IssuanceLogEntry.Result;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.Refusal;
import jp.kofu.contract.Tokyo;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.Alarms;
import jp.kofu.db.Database;
import jp.kofu.db.DatabaseUnavailableException;
import jp.kofu.http.Answers;
import jp.kofu.http.Caller;
import jp.kofu.issuance.CardAdmission;
import jp.kofu.municipality.Municipality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The center side of 本籍地 利用登録 (contract §9): {@code POST /center/v1/koseki-registrations} admitted exactly as
 * an issuance is ({@link CardAdmission}: card signature and certificate path, window, nonce, kiosk rules, rate
 * limits, the caller's kept answer of a transaction id), stored PENDING on one transaction that also claims the
 * transaction id, spends the nonce, keeps the answer and writes the log row; and the status query of the caller's
 * own registrations.
 */
@Singleton
final class RegistrationDesk {
    static final String CERTIFICATE_TYPE = "KOSEKI_REGISTRATION";
    static final String NOT_FOUND = "REGISTRATION_NOT_FOUND";
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.koseki");

    private final Database db;
    private final CardAdmission admission;
    private final IssuanceLog log;
    private final KosekiRegistrations registrations;
    private final Alarms alarms;
    private final Clock clock;

    RegistrationDesk(Database db, CardAdmission admission, IssuanceLog log, KosekiRegistrations registrations,
                     Alarms alarms, Clock clock) {
        this.db = db;
        this.alarms = alarms;
        this.admission = admission;
        this.log = log;
        this.registrations = registrations;
        this.clock = clock;
    }

    /** An answer: HTTP status and JSON body. */
    record Answer(int status, byte[] body) {}

    private sealed interface Outcome {
        record Answered(Answer answer) implements Outcome {}

        record Refused(Refusal refusal) implements Outcome {}

        /** A request with the same caller and transaction id committed first: answer as a retry of it. */
        record Taken() implements Outcome {}
    }

    Answer apply(byte[] body, Caller caller) {
        Optional<Answer> first = attempt(body, caller);
        return first.or(() -> attempt(body, caller))
                .orElseThrow(() -> new IllegalStateException("transaction id taken twice"));
    }

    private Optional<Answer> attempt(byte[] body, Caller caller) {
        CardAdmission.Verdict v = admission.admitElsewhere(body, caller, Endpoint.KOSEKI_REGISTRATION);
        switch (v.kind()) {
            case REFUSED -> {
                return Optional.of(refuse(v, v.refusal()));
            }
            case REPEATED -> {
                log.write(v.logRow(clock.instant(), Result.REPEATED).build());
                v.answered(Result.REPEATED, null);
                return Optional.of(new Answer(v.repeatedStatus(), v.repeatedBody()));
            }
            default -> { }
        }
        try {
            Municipality m = v.municipality();
            if (!CERTIFICATE_TYPE.equals(v.certificateType())) {
                throw new Refusal(ErrorCode.UNSUPPORTED_CERTIFICATE, "the registration endpoint takes "
                        + CERTIFICATE_TYPE);
            }
            if (!m.offersKoseki()) {
                throw new Refusal(ErrorCode.UNSUPPORTED_CERTIFICATE, "the municipality offers no 戸籍 certificate");
            }
            AppliedFields fields = AppliedFields.parse(payload(body), v.now().atZone(Tokyo.ZONE).toLocalDate());
            String id = KosekiRegistrations.newId();
            Outcome outcome = db.inIdempotentTransaction(c -> {
                try {
                    if (!v.claim(c)) {
                        return new Outcome.Taken();
                    }
                    KosekiRegistrations.insert(c, id, m.code(), v.card().id(), caller.key(),
                            v.centerTransactionId(), fields, v.now());
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("registrationId", id);
                    byte[] bytes = Json.bytes(answer);
                    v.keepAnswer(c, 202, bytes);
                    log.write(c, v.logRow(v.now(), Result.LISTED).build());
                    return new Outcome.Answered(new Answer(202, bytes));
                } catch (Refusal r) {
                    return new Outcome.Refused(r);
                }
            }, o -> o instanceof Outcome.Answered);
            if (outcome instanceof Outcome.Refused r) {
                return Optional.of(refuse(v, r.refusal()));
            }
            if (outcome instanceof Outcome.Answered a) {
                OPS.info("registration {} applied for transaction {}", id, v.centerTransactionId());
                v.answered(Result.LISTED, null);
                return Optional.of(a.answer());
            }
            return Optional.empty();
        } catch (Refusal r) {
            return Optional.of(refuse(v, r));
        } catch (DatabaseUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            alarms.occurred(AlarmKind.REGISTRATION_FAILED, v.municipality().code(), e.getClass().getSimpleName(),
                    "transaction=" + v.centerTransactionId() + " cause=" + e.getClass().getSimpleName(), e);
            log.write(v.logRow(clock.instant(), Result.FAILED).code(ErrorCode.SERVICE_UNAVAILABLE.name()).build());
            v.answered(Result.FAILED, ErrorCode.SERVICE_UNAVAILABLE);
            return Optional.of(new Answer(503, Answers.refusalBody(ErrorCode.SERVICE_UNAVAILABLE, Map.of())));
        }
    }

    /** The refusal's answer, kept for the transaction id when the request was authentic, and its REFUSED row. */
    private Answer refuse(CardAdmission.Verdict v, Refusal r) {
        OPS.info("refused registration of transaction {}: {} ({})", v.centerTransactionId(), r.code(), r.getMessage());
        byte[] body = Answers.refusalBody(r.code(), r.extra());
        Instant now = clock.instant();
        db.inTransaction(c -> {
            v.keepRefusal(c, r, body, now);
            log.write(c, v.logRow(now, Result.REFUSED).code(r.code().name()).build());
            return null;
        });
        v.answered(Result.REFUSED, r.code());
        return new Answer(r.code().status(), body);
    }

    /**
     * The JWS payload of the outer body, as the card signed it. Only called after admission verified that very
     * signature over these bytes (the body is the one admitted).
     */
    private static JsonNode payload(byte[] body) {
        String jws = Json.parseObject(body, "body").get("cardRequest").textValue();
        String[] parts = jws.split("\\.", -1);
        return Json.parseObject(Base64.getUrlDecoder().decode(parts[1].getBytes(StandardCharsets.US_ASCII)),
                "cardRequest payload");
    }

    /** {@code GET /center/v1/koseki-registrations/{id}}: the caller's own registration only; any other is 404. */
    Answer status(String registrationId, Caller caller) {
        Optional<KosekiRegistrations.Status> found = registrations.status(registrationId, caller.key());
        Instant now = clock.instant();
        var row = jp.kofu.audit.IssuanceLogEntry.of(now, Endpoint.KOSEKI_REGISTRATION_STATUS,
                found.isPresent() ? Result.LISTED : Result.REFUSED).caller(caller.toString());
        if (found.isEmpty()) {
            log.write(row.code(NOT_FOUND).build());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", NOT_FOUND);
            body.put("message", "該当する申請がありません。");
            return new Answer(404, Json.bytes(body));
        }
        log.write(row.municipality(found.get().municipalityCode()).build());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("registrationId", registrationId);
        body.put("status", found.get().status());
        return new Answer(200, Json.bytes(body));
    }
}
