package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import jp.kofu.audit.IssuanceLog;
import jp.kofu.audit.IssuanceLogEntry;
import jp.kofu.card.CardCertificate;
import jp.kofu.card.CardRequestVerifier;
import jp.kofu.card.CardVerification;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.Database;
import jp.kofu.http.Answers;
import jp.kofu.http.Caller;
import jp.kofu.http.ErrorCode;
import jp.kofu.http.Json;
import jp.kofu.http.JsonFields;
import jp.kofu.http.Refusal;
import jp.kofu.kiosk.KioskTerminals;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.municipality.PrintOption;
import jp.kofu.pdf.JuminhyoContent;
import jp.kofu.pdf.CertificateForms;
import jp.kofu.pdf.CertificatePrinter;
import jp.kofu.pdf.Issue;
import jp.kofu.pdf.PrintItems;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.replica.ReplicaState;
import jp.kofu.replica.ReplicaStore;
import jp.kofu.replica.ResidentRecord;
import jp.kofu.signing.MunicipalSigners;
import jp.kofu.verify.VerificationCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One issuance, end to end (contract §2–§3): the card's signature and certificate, the request's freshness and
 * nonce, the refusal rules against the replica, the signed PDF, and the log row — the last three in one
 * transaction that holds the municipality's replica state shared, so the PDF shows exactly the replica as of its
 * commit, and a sync batch answered before it is always seen.
 */
@Singleton
final class IssuanceService {
    static final int MAX_BODY = 64 * 1024;
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.issuance");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final Database db;
    private final ReplicaStore replica;
    private final MunicipalityRegistry municipalities;
    private final CardRequestVerifier verifier;
    private final CertificatePrinter printer;
    private final CertificateForms forms;
    private final MunicipalSigners signers;
    private final IssuanceNumbers numbers;
    private final CenterTransactions transactions;
    private final IssuanceLog log;
    private final MemberTokens memberTokens;
    private final RateLimits rateLimits;
    private final VerificationCodes verificationCodes;
    private final KioskTerminals kioskTerminals;
    private final Clock clock;
    private final Duration window;

    IssuanceService(Database db, ReplicaStore replica, MunicipalityRegistry municipalities,
                    CardRequestVerifier verifier, CertificatePrinter printer, CertificateForms forms,
                    MunicipalSigners signers,
                    IssuanceNumbers numbers, CenterTransactions transactions, IssuanceLog log,
                    MemberTokens memberTokens, RateLimits rateLimits, VerificationCodes verificationCodes,
                    KioskTerminals kioskTerminals, Clock clock, KofuSettings settings) {
        this.db = db;
        this.replica = replica;
        this.municipalities = municipalities;
        this.verifier = verifier;
        this.printer = printer;
        this.forms = forms;
        this.signers = signers;
        this.numbers = numbers;
        this.transactions = transactions;
        this.log = log;
        this.memberTokens = memberTokens;
        this.rateLimits = rateLimits;
        this.verificationCodes = verificationCodes;
        this.kioskTerminals = kioskTerminals;
        this.clock = clock;
        this.window = settings.requestWindow();
    }

    /** What is known of a request so far, for its log row. */
    private static final class Context {
        final Caller caller;
        final Endpoint endpoint;
        String centerTransactionId;
        String storeCode;
        String bodySha256;
        CardCertificate card;
        CardRequest request;
        String requesterId;
        String printedIds;
        boolean authentic;

        Context(Caller caller, Endpoint endpoint) {
            this.caller = caller;
            this.endpoint = endpoint;
        }
    }

    /** The answer to a center request: status and JSON body. */
    record Answer(int status, byte[] body) {}

    /** The two card-signed requests: a certificate (§3) and the household listing (§4). */
    enum Endpoint { ISSUANCE, HOUSEHOLD_LISTING }

    /** {@code POST /center/v1/issuances}. */
    Answer issue(byte[] body, Caller caller) {
        return handle(body, caller, Endpoint.ISSUANCE);
    }

    /** {@code POST /center/v1/household-members}. */
    Answer listHousehold(byte[] body, Caller caller) {
        return handle(body, caller, Endpoint.HOUSEHOLD_LISTING);
    }

    private Answer handle(byte[] body, Caller caller, Endpoint endpoint) {
        try {
            return attempt(body, caller, endpoint);
        } catch (RetryAsRepeat e) {
            // Another request with the same id committed first: answer as a retry of it.
            return attempt(body, caller, endpoint);
        }
    }

    private Answer attempt(byte[] body, Caller caller, Endpoint endpoint) {
        Context ctx = new Context(caller, endpoint);
        try {
            return process(body, ctx);
        } catch (Refusal r) {
            return refuse(ctx, r);
        } catch (RetryAsRepeat | jp.kofu.db.DatabaseUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            return fail(ctx, e);
        }
    }

    /** A failure of ours (or of a dependency such as the time-stamp authority): nothing issued, one FAILED row. */
    private Answer fail(Context ctx, RuntimeException e) {
        OPS.error("ALARM transaction {} failed, nothing issued: {}", ctx.centerTransactionId, e.toString(), e);
        try {
            log.write(entry(ctx, IssuanceLogEntry.FAILED, ErrorCode.SERVICE_UNAVAILABLE.name(), clock.instant(),
                    null, null, null, null, null));
        } catch (jp.kofu.db.DatabaseUnavailableException dbDown) {
            OPS.error("ALARM failed transaction {} not logged: database unavailable", ctx.centerTransactionId);
        }
        return new Answer(503, Answers.refusalBody(ErrorCode.SERVICE_UNAVAILABLE, Map.of()));
    }

    private Answer process(byte[] body, Context ctx) {
        if (body.length > MAX_BODY) {
            throw new Refusal(ErrorCode.MALFORMED_REQUEST, "body over 64 KiB");
        }
        JsonNode outer = Json.parseObject(body, "body");
        JsonFields f = new JsonFields(outer, "body");
        ctx.centerTransactionId = f.matching("centerTransactionId", TOKEN);
        ctx.storeCode = f.optionalText("storeCode", 64).orElse(null);
        if (ctx.storeCode != null && !TOKEN.matcher(ctx.storeCode).matches()) {
            throw f.malformed("storeCode", "has the wrong format");
        }
        String jws = f.text("cardRequest", MAX_BODY);
        ctx.bodySha256 = sha256(body);

        // Only this caller's own transaction ids: the same id from another caller is another transaction (§7).
        Optional<CenterTransactions.Answer> earlier = transactions.find(ctx.caller, ctx.centerTransactionId);
        if (earlier.isPresent()) {
            Optional<Answer> repeated = repeat(ctx, earlier.get());
            if (repeated.isPresent()) {
                return repeated.get();
            }
        }

        CardVerification verification = verifier.verify(jws);
        if (verification instanceof CardVerification.Rejected rejected) {
            throw cardRefusal(rejected);
        }
        CardVerification.Verified verified = (CardVerification.Verified) verification;
        ctx.card = verified.card();
        CardRequest request = CardRequest.parse(verified.payload());
        ctx.request = request;
        Municipality municipality = municipalities.find(request.municipalityCode())
                .orElseThrow(() -> new Refusal(ErrorCode.UNKNOWN_MUNICIPALITY, "municipality not served"));
        Instant now = clock.instant();
        if (Duration.between(request.signedAt().toInstant(), now).abs().compareTo(window) > 0) {
            throw new Refusal(ErrorCode.REQUEST_EXPIRED, "signedAt outside the window");
        }
        if (!verifier.isValidAt(ctx.card, request.signedAt().toInstant())) {
            throw new Refusal(ErrorCode.CARD_EXPIRED, "card not valid at signedAt");
        }
        checkCaller(ctx, request, now);
        ctx.authentic = true;
        if (!rateLimits.admit(request.terminalId(), ctx.card.id().issuerKey() + "#" + ctx.card.id().serialHex())) {
            throw new Refusal(ErrorCode.RATE_LIMITED, "terminal or card over its per-minute limit");
        }
        LocalDate today = now.atZone(TOKYO).toLocalDate();
        if (ctx.endpoint == Endpoint.HOUSEHOLD_LISTING) {
            if (!CardRequest.HOUSEHOLD_LISTING.equals(request.certificateType())) {
                throw CardRequest.unsupported("the listing endpoint takes certificateType HOUSEHOLD_LISTING");
            }
            if (!municipality.isOpenAt(now.atZone(TOKYO).toLocalTime())) {
                throw new Refusal(ErrorCode.OUTSIDE_SERVICE_HOURS, "outside service hours");
            }
            return db.inTransaction(c -> listLocked(c, ctx, municipality, now, today));
        }
        if (!CardRequest.JUMINHYO.equals(request.certificateType())) {
            throw CardRequest.unsupported("certificate type " + request.certificateType());
        }
        int feePerCopy = municipality.feePerCopy(request.certificateType())
                .orElseThrow(() -> CardRequest.unsupported("certificate type not offered here"));
        Set<PrintOption> options = resolveOptions(municipality, request);
        if (!municipality.isOpenAt(now.atZone(TOKYO).toLocalTime())) {
            throw new Refusal(ErrorCode.OUTSIDE_SERVICE_HOURS, "outside service hours");
        }
        String issuanceNumber = numbers.next(municipality.code(), today);
        return db.inTransaction(c -> issueLocked(c, ctx, municipality, options, feePerCopy, issuanceNumber, now, today));
    }

    /**
     * The caller may send this channel and terminal id (§7): a kiosk's certificate only its own terminal's KIOSK
     * requests, and KIOSK only from a registered kiosk's certificate, enabled and within its own hours.
     */
    private void checkCaller(Context ctx, CardRequest request, Instant now) {
        kioskTerminals.check(ctx.caller, request.channel() == CardRequest.Channel.KIOSK, request.municipalityCode(),
                request.terminalId(), now.atZone(TOKYO).toLocalTime());
    }

    private Answer issueLocked(Connection c, Context ctx, Municipality municipality, Set<PrintOption> options,
                               int feePerCopy, String issuanceNumber, Instant now, LocalDate today) throws SQLException {
        CardRequest request = ctx.request;
        Requester requester = requester(c, ctx, municipality, now, today);
        if (requester.household().stream().anyMatch(r -> r.plannedMoveOutOn() != null)) {
            throw notIssuable("household has a planned move-out");
        }
        List<ResidentRecord> persons = switch (request.scope()) {
            case SELF -> List.of(requester.record());
            case HOUSEHOLD_ALL -> requester.household();
            case SELECTED -> selected(ctx, municipality, requester, now);
        };
        ReplicaState state = requester.state();
        ctx.printedIds = persons.stream().map(ResidentRecord::residentId).collect(Collectors.joining(","));
        Set<String> blocked = replica.blocked(c, state, persons.stream().map(ResidentRecord::residentId).toList());
        if (!blocked.isEmpty()) {
            throw notIssuable("a person to be printed is blocked");
        }
        for (ResidentRecord p : persons) {
            if (p.gaijiPending()) {
                throw notIssuable("外字 registration pending for a person to be printed");
            }
            if (today.equals(p.becameResidentOn())) {
                throw notIssuable("a person to be printed became a resident today");
            }
        }
        // Until the lead wires one 発行番号 per copy: every copy carries the one number, as before.
        Issue issue = Issue.of(municipality.name(), municipality.mayorTitle(), municipality.mayorName(),
                java.util.Collections.nCopies(request.copies(),
                        new Issue.Copy(issuanceNumber, verificationCodes.url(issuanceNumber))),
                today, forms.forMunicipality(municipality));
        JuminhyoContent content = new JuminhyoContent(issue,
                switch (request.scope()) {
                    case SELF -> JuminhyoContent.Scope.SELF;
                    case HOUSEHOLD_ALL -> JuminhyoContent.Scope.HOUSEHOLD_ALL;
                    case SELECTED -> JuminhyoContent.Scope.HOUSEHOLD_PART;
                },
                persons, printItems(options));
        PrintOutcome outcome = printer.print(content, signers.forMunicipality(municipality));
        if (outcome instanceof PrintOutcome.NotPrintable np) {
            throw notIssuable(np.reason());
        }
        PrintOutcome.Printed printed = (PrintOutcome.Printed) outcome;
        String pdfSha256 = sha256(printed.signedPdf());
        int fee = feePerCopy * request.copies();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("centerTransactionId", ctx.centerTransactionId);
        answer.put("issuanceNumber", issuanceNumber);
        answer.put("certificateType", request.certificateType());
        answer.put("copies", request.copies());
        answer.put("pageCount", printed.pageCount());
        answer.put("fee", fee);
        answer.put("pdf", Base64.getEncoder().encodeToString(printed.signedPdf()));
        answer.put("pdfSha256", pdfSha256);
        byte[] answerBytes = Json.bytes(answer);
        insertIssuance(c, issuanceNumber, municipality.code(), ctx, now, printed.pageCount(), fee, pdfSha256);
        CenterTransactions.answer(c, ctx.caller, ctx.centerTransactionId, 200, answerBytes, ctx.printedIds);
        log.write(c, entry(ctx, IssuanceLogEntry.ISSUED, null, now, options, printed.pageCount(), fee,
                issuanceNumber, pdfSha256));
        OPS.info("issued {} for transaction {} ({} pages)", issuanceNumber, ctx.centerTransactionId,
                printed.pageCount());
        return new Answer(200, answerBytes);
    }

    /** The card holder as found in the replica, with their household in print order. */
    private record Requester(ReplicaState state, ResidentRecord record, List<ResidentRecord> household) {}

    /**
     * The checks every card-signed request makes inside its transaction: the transaction id, the nonce, the feed's
     * revocations, the card binding, and that the holder is a current resident old enough to use the service.
     */
    private Requester requester(Connection c, Context ctx, Municipality municipality, Instant now, LocalDate today)
            throws SQLException {
        if (!CenterTransactions.claim(c, ctx.caller, ctx.centerTransactionId, ctx.bodySha256, municipality.code(),
                ctx.card.id(), now)) {
            throw new RetryAsRepeat();
        }
        if (!rememberNonce(c, ctx.request.nonce(), now)) {
            throw new Refusal(ErrorCode.REPLAYED, "nonce seen before");
        }
        ReplicaState state = replica.lockForRead(c, municipality.code());
        if (replica.isRevoked(c, state, ctx.card.id())) {
            throw new Refusal(ErrorCode.CARD_REVOKED, "card revoked through the feed");
        }
        String requesterId = replica.boundResident(c, state, ctx.card.id())
                .orElseThrow(() -> new Refusal(ErrorCode.CARD_NOT_REGISTERED, "no resident bound to the card"));
        ctx.requesterId = requesterId;
        ResidentRecord record = replica.resident(c, state, requesterId)
                .orElseThrow(() -> notIssuable("requester not in the replica"));
        if (record.birthDate() == null
                || Period.between(record.birthDate(), today).getYears() < municipality.minimumAge()) {
            throw notIssuable("requester younger than the minimum age");
        }
        List<ResidentRecord> household = replica.household(c, state, record.householdId()).stream()
                .sorted(HouseholdOrder.PRINT_ORDER).collect(Collectors.toList());
        return new Requester(state, record, household);
    }

    /** 世帯の一部: exactly the members named by listing ids, each a current member of the household, in household order. */
    private List<ResidentRecord> selected(Context ctx, Municipality municipality, Requester requester, Instant now) {
        Set<String> chosen = new java.util.HashSet<>();
        for (String token : ctx.request.memberIds()) {
            String id = memberTokens.open(token, municipality.code(), ctx.card.id(), now)
                    .orElseThrow(() -> notIssuable("member id unknown, expired or listed for another card"));
            chosen.add(id);
        }
        List<ResidentRecord> persons = requester.household().stream()
                .filter(r -> chosen.contains(r.residentId())).collect(Collectors.toList());
        if (persons.size() != chosen.size()) {
            throw notIssuable("a selected member is no longer in the household");
        }
        return persons;
    }

    /** The household listing (§4): names and 続柄 only, with member ids sealed to this card for 10 minutes. */
    private Answer listLocked(Connection c, Context ctx, Municipality municipality, Instant now, LocalDate today)
            throws SQLException {
        Requester requester = requester(c, ctx, municipality, now, today);
        List<Map<String, Object>> members = new ArrayList<>();
        for (ResidentRecord r : requester.household()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("memberId", memberTokens.seal(municipality.code(), r.residentId(), ctx.card.id(), now));
            m.put("displayName", r.givenName() == null ? r.familyName() : r.familyName() + " " + r.givenName());
            m.put("relationship", r.relationship() == null ? "" : r.relationship());
            members.add(m);
        }
        byte[] answer = Json.bytes(Map.of("members", members));
        // The answer names every member: tie it to them, so that removing any of them deletes it (current-only).
        String memberIds = requester.household().stream().map(ResidentRecord::residentId)
                .collect(Collectors.joining(","));
        CenterTransactions.answer(c, ctx.caller, ctx.centerTransactionId, 200, answer, memberIds);
        log.write(c, entry(ctx, "LISTED", null, now, null, null, null, null, null));
        return new Answer(200, answer);
    }

    /** Thrown inside the issuance transaction when another request holds the same transaction id. */
    private static final class RetryAsRepeat extends RuntimeException {
        RetryAsRepeat() {
            super(null, null, false, false);
        }
    }

    private Optional<Answer> repeat(Context ctx, CenterTransactions.Answer earlier) {
        if (!earlier.bodySha256().equals(ctx.bodySha256)) {
            throw new Refusal(ErrorCode.TRANSACTION_CONFLICT, "same transaction id, different body");
        }
        if (earlier.createdAt().isBefore(clock.instant().minus(CenterTransactions.KEEP)) || earlier.status() == 0) {
            return Optional.empty();
        }
        log.write(entry(ctx, "REPEATED", null, clock.instant(), null, null, null, null, null));
        return Optional.of(new Answer(earlier.status(), earlier.body()));
    }

    private Answer refuse(Context ctx, Refusal r) {
        if (r.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            OPS.error("ALARM transaction {} not served: {}", ctx.centerTransactionId, r.getMessage());
        } else {
            OPS.info("refused transaction {}: {} ({})", ctx.centerTransactionId, r.code(), r.getMessage());
        }
        byte[] body = Answers.refusalBody(r.code(), r.extra());
        Instant now = clock.instant();
        boolean record = ctx.authentic && r.code() != ErrorCode.SERVICE_UNAVAILABLE
                && r.code() != ErrorCode.RATE_LIMITED;
        db.inTransaction(c -> {
            if (record) {
                CenterTransactions.recordRefusal(c, ctx.caller, ctx.centerTransactionId, ctx.bodySha256,
                        ctx.request.municipalityCode(), ctx.card.id(), r.code().status(), body, now);
                rememberNonce(c, ctx.request.nonce(), now);
            }
            log.write(c, entry(ctx, IssuanceLogEntry.REFUSED, r.code().name(), now, null, null, null, null, null));
            return null;
        });
        return new Answer(r.code().status(), body);
    }

    private static Refusal notIssuable(String reason) {
        return new Refusal(ErrorCode.NOT_ISSUABLE, reason);
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

    private static Set<PrintOption> resolveOptions(Municipality m, CardRequest request) {
        Set<PrintOption> on = EnumSet.noneOf(PrintOption.class);
        for (PrintOption o : PrintOption.values()) {
            boolean wanted = request.options().getOrDefault(o, !o.isOnlyOnRequest() && m.defaultOptions().contains(o));
            if (wanted) {
                if (!m.offeredOptions().contains(o)) {
                    throw CardRequest.unsupported("option " + o.jsonName() + " not offered here");
                }
                on.add(o);
            }
        }
        return on;
    }

    private static PrintItems printItems(Set<PrintOption> on) {
        return new PrintItems(
                on.contains(PrintOption.INCLUDE_HOUSEHOLDER) || on.contains(PrintOption.INCLUDE_RELATIONSHIP),
                on.contains(PrintOption.INCLUDE_DOMICILE),
                on.contains(PrintOption.INCLUDE_INDIVIDUAL_NUMBER),
                on.contains(PrintOption.INCLUDE_RESIDENT_CODE));
    }

    private static boolean rememberNonce(Connection c, String nonce, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO card_nonce (nonce, seen_at) VALUES (?, ?)")) {
            s.setString(1, nonce);
            s.setTimestamp(2, Timestamp.from(now));
            s.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            return false;
        }
    }

    private static void insertIssuance(Connection c, String number, String municipality, Context ctx, Instant now,
                                       int pages, int fee, String pdfSha256) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO issuance (issuance_number, municipality_code, center_transaction_id, status, issued_at,
                    caller, certificate_type, copies, page_count, fee, pdf_sha256, caller_key)
                VALUES (?, ?, ?, 'ISSUED', ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, number);
            s.setString(2, municipality);
            s.setString(3, ctx.centerTransactionId);
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, ctx.caller.toString());
            s.setString(6, ctx.request.certificateType());
            s.setInt(7, ctx.request.copies());
            s.setInt(8, pages);
            s.setInt(9, fee);
            s.setString(10, pdfSha256);
            s.setString(11, ctx.caller.key());
            s.executeUpdate();
        }
    }

    private static IssuanceLogEntry entry(Context ctx, String result, String code, Instant now, Set<PrintOption> options,
                                          Integer pages, Integer fee, String issuanceNumber, String pdfSha256) {
        CardRequest r = ctx.request;
        return new IssuanceLogEntry(now, ctx.endpoint.name(), result, code,
                r == null ? null : r.municipalityCode(),
                r == null ? null : r.channel().name(),
                ctx.storeCode,
                r == null ? null : r.terminalId(),
                ctx.centerTransactionId,
                ctx.caller.toString(),
                ctx.card == null ? null : ctx.card.id().issuerKey(),
                ctx.card == null ? null : ctx.card.id().serialHex(),
                ctx.requesterId,
                ctx.printedIds,
                r == null ? null : r.certificateType(),
                r == null || ctx.endpoint == Endpoint.HOUSEHOLD_LISTING ? null : r.scope().name(),
                options == null ? null : options.stream().map(PrintOption::jsonName).collect(Collectors.joining(",")),
                r == null ? null : r.copies(),
                pages, fee, issuanceNumber, pdfSha256);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
