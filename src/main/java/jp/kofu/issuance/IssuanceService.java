package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.audit.IssuanceLog;
import jp.kofu.audit.IssuanceLogEntry;
import jp.kofu.audit.IssuanceLogEntry.Endpoint;
import jp.kofu.audit.IssuanceLogEntry.Result;
import jp.kofu.contract.CertificateType;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.Alarms;
import jp.kofu.db.Database;
import jp.kofu.db.DatabaseUnavailableException;
import jp.kofu.http.Answers;
import jp.kofu.http.Caller;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Json;
import jp.kofu.contract.Refusal;
import jp.kofu.contract.Sha256;
import jp.kofu.contract.Tokyo;
import jp.kofu.municipality.Municipality;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.replica.ReplicaState;
import jp.kofu.replica.ResidentRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A card-signed request, end to end (contract §2–§4), the same for every certificate type: admission
 * ({@link CardAdmission}), then three steps. (1) A transaction that only reads: the municipality's shared replica lock
 * first, the card holder, the refusal rules of §2 ({@link Eligibility}), and what the type's
 * {@link CertificateDefinition} prints. (2) The rendering and signing, with no transaction open. (3) A short
 * transaction that takes the replica lock again and, if no sync batch of the municipality has been applied since (1),
 * claims the caller's transaction id, spends the nonce and records the issuance, its kept answer and its log row;
 * otherwise the request goes back to (1). The PDF therefore shows exactly the replica as of the commit, a sync batch
 * answered before is always seen, and a retry of (3) on a conflict costs a few statements, not a second signature.
 * A refusal rolls back and is recorded on its own. The 戸籍 types ({@link KosekiCertificates}) take the same steps;
 * their read finds the holder in the 戸籍 ({@link KosekiHolders}) and their print run asks the 戸籍システム first.
 */
@Singleton
final class IssuanceService {
    private static final Logger OPS = LoggerFactory.getLogger("kofu.ops.issuance");
    /**
     * Read, print and record at most this often for one request: each round but the first follows a sync batch of
     * the municipality applied while the previous round was printing (a few milliseconds).
     */
    static final int MAX_ROUNDS = 5;

    private final Database db;
    private final CardAdmission admission;
    private final Requesters requesters;
    private final Eligibility eligibility;
    private final Map<CertificateType, CertificateDefinition<?>> definitions;
    private final IssuanceNumbers numbers;
    private final IssuanceLog log;
    private final MemberTokens memberTokens;
    private final KosekiCertificates koseki;
    private final KosekiHolders kosekiHolders;
    private final Alarms alarms;
    private final IssuanceMeters meters;
    private final Clock clock;

    IssuanceService(Database db, CardAdmission admission, Requesters requesters, Eligibility eligibility,
                    List<CertificateDefinition<?>> definitions, IssuanceNumbers numbers, IssuanceLog log,
                    MemberTokens memberTokens, KosekiCertificates koseki, KosekiHolders kosekiHolders, Alarms alarms,
                    IssuanceMeters meters, Clock clock) {
        this.db = db;
        this.alarms = alarms;
        this.admission = admission;
        this.requesters = requesters;
        this.eligibility = eligibility;
        Map<CertificateType, CertificateDefinition<?>> byType = new LinkedHashMap<>();
        for (CertificateDefinition<?> d : definitions) {
            if (byType.put(d.type(), d) != null) {
                throw new IllegalStateException("two definitions of " + d.type());
            }
        }
        this.definitions = Map.copyOf(byType);
        this.numbers = numbers;
        this.log = log;
        this.memberTokens = memberTokens;
        this.koseki = koseki;
        this.kosekiHolders = kosekiHolders;
        this.meters = meters;
        this.clock = clock;
    }

    /** What a request's transaction came to: its answer, a refusal (rolled back), or its id taken meanwhile. */
    private sealed interface Outcome {
        record Answered(Answer answer) implements Outcome {}

        record Refused(RequestFacts facts, Refusal refusal) implements Outcome {}

        /** Another request with the same caller and transaction id committed first: answer as a retry of it. */
        record Taken() implements Outcome {}

        /**
         * Read and admissible: the print run to do outside the transaction, the replica it was read from, and the
         * residents the kept answer is tied to (removing or blocking one deletes it).
         */
        record Prepared(RequestFacts facts, ReplicaState state, CertificateDefinition.PrintRun print, String keptFor)
                implements Outcome {}

        /** The 戸籍 listing's holder, read: the 戸籍システム is asked with no transaction open. */
        record KosekiRead(RequestFacts facts, KosekiHolder holder) implements Outcome {}

        /** A sync batch changed the municipality's replica after the read: read and print again. */
        record Stale() implements Outcome {}
    }

    /** {@code POST /center/v1/issuances}. */
    Answer issue(byte[] body, Caller caller) {
        return handle(body, caller, Route.ISSUANCE);
    }

    /** {@code POST /center/v1/household-members}. */
    Answer listHousehold(byte[] body, Caller caller) {
        return handle(body, caller, Route.HOUSEHOLD_LISTING);
    }

    /** {@code POST /center/v1/koseki-members} (contract §9). */
    Answer listKoseki(byte[] body, Caller caller) {
        return handle(body, caller, Route.KOSEKI_LISTING);
    }

    /** The card-signed endpoints, and the log's endpoint of each. */
    private enum Route {
        ISSUANCE(Endpoint.ISSUANCE), HOUSEHOLD_LISTING(Endpoint.HOUSEHOLD_LISTING),
        KOSEKI_LISTING(Endpoint.KOSEKI_LISTING);

        final Endpoint endpoint;

        Route(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    private Answer handle(byte[] body, Caller caller, Route route) {
        long started = System.nanoTime();
        Optional<Answer> first = attempt(body, caller, route, started);
        // Empty: the id was taken by a request that has committed since; the second attempt finds its answer.
        return first.or(() -> attempt(body, caller, route, started))
                .orElseThrow(() -> new IllegalStateException("transaction id taken twice"));
    }

    /** Each answer is counted once ({@link IssuanceMeters}), where it is decided. */
    private Optional<Answer> attempt(byte[] body, Caller caller, Route route, long started) {
        Admission admitted;
        try {
            admitted = admission.admit(body, caller, route.endpoint);
        } catch (DatabaseUnavailableException e) {
            meters.answered(route.endpoint, null, Result.FAILED, ErrorCode.SERVICE_UNAVAILABLE, started);
            throw e;
        }
        if (admitted instanceof Admission.Refused r) {
            return Optional.of(refuse(route.endpoint, r.facts(), r.refusal(), started));
        }
        if (admitted instanceof Admission.Repeated r) {
            log.write(r.facts().logRow(clock.instant(), Result.REPEATED).build());
            meters.answered(route.endpoint, r.facts(), Result.REPEATED, null, started);
            return Optional.of(r.answer());
        }
        Admission.Admitted a = (Admission.Admitted) admitted;
        try {
            Outcome outcome = switch (route) {
                case ISSUANCE -> issue(a);
                case HOUSEHOLD_LISTING -> list(a);
                case KOSEKI_LISTING -> listKoseki(a);
            };
            if (outcome instanceof Outcome.Refused r) {
                return Optional.of(refuse(route.endpoint, r.facts(), r.refusal(), started));
            }
            if (outcome instanceof Outcome.Answered answered) {
                meters.answered(route.endpoint, a.facts(), route == Route.ISSUANCE ? Result.ISSUED : Result.LISTED,
                        null, started);
                return Optional.of(answered.answer());
            }
            return Optional.empty();
        } catch (Refusal r) {
            return Optional.of(refuse(route.endpoint, a.facts(), r, started));
        } catch (DatabaseUnavailableException e) {
            meters.answered(route.endpoint, a.facts(), Result.FAILED, ErrorCode.SERVICE_UNAVAILABLE, started);
            throw e;
        } catch (RuntimeException e) {
            return Optional.of(fail(route.endpoint, a.facts(), e, started));
        }
    }

    // ---- a certificate (§3) ----

    private Outcome issue(Admission.Admitted a) {
        CardRequest request = a.request();
        CertificateType type = CertificateType.of(request.certificateType())
                .orElseThrow(() -> CardRequest.unsupported("certificate type " + request.certificateType()));
        if (type.isKoseki()) {
            return issueKoseki(a, type);
        }
        CertificateDefinition<?> definition = Optional.ofNullable(definitions.get(type))
                .orElseThrow(() -> CardRequest.unsupported("certificate type " + request.certificateType()));
        return issue(a, definition);
    }

    private <C> Outcome issue(Admission.Admitted a, CertificateDefinition<C> definition) {
        CardRequest request = a.request();
        Municipality municipality = a.municipality();
        int feePerCopy = municipality.feePerCopy(definition.type())
                .orElseThrow(() -> CardRequest.unsupported("certificate type not offered here"));
        C choices = definition.choices(request, municipality);
        requireOpen(a, definition.type());
        LocalDate today = a.now().atZone(Tokyo.ZONE).toLocalDate();
        List<String> issuanceNumbers = numbers.next(municipality.code(), today, request.copies());
        // 1. Read (never committed): the card holder, the persons, the refusal rules, what the form shows.
        return printAndRecord(a, definition.logged(choices), feePerCopy * request.copies(), issuanceNumbers,
                () -> forCardHolder(a, today, false, (c, known, requester) -> {
                    List<ResidentRecord> persons = definition.persons(c, request, requester, a);
                    String printedIds = persons.stream().map(ResidentRecord::residentId)
                            .collect(Collectors.joining(","));
                    RequestFacts facts = known.withPrinted(printedIds);
                    try {
                        eligibility.check(c, definition.type(), requester, persons, today);
                        return new Outcome.Prepared(facts, requester.state(), definition.prepare(c, choices,
                                new Printing(municipality, requester, persons, request, issuanceNumbers, today)),
                                printedIds);
                    } catch (Refusal r) {
                        return new Outcome.Refused(facts, r);
                    }
                }));
    }

    /**
     * A 戸籍 certificate (contract §8, §9): the same three steps, but the read finds who the holder is in the 戸籍
     * ({@link KosekiHolders}) and the print run asks the 戸籍システム, with no transaction open, before it renders.
     * Offered when {@code fees} names the type and the municipality has a {@code koseki} link.
     */
    private Outcome issueKoseki(Admission.Admitted a, CertificateType type) {
        CardRequest request = a.request();
        Municipality municipality = a.municipality();
        int feePerCopy = municipality.feePerCopy(type).filter(fee -> municipality.koseki().isPresent())
                .orElseThrow(() -> CardRequest.unsupported("certificate type not offered here"));
        KosekiCertificates.Choices choices = koseki.choices(type, request);
        requireOpen(a, type);
        LocalDate today = a.now().atZone(Tokyo.ZONE).toLocalDate();
        List<String> issuanceNumbers = numbers.next(municipality.code(), today, request.copies());
        return printAndRecord(a, koseki.logged(choices), feePerCopy * request.copies(), issuanceNumbers,
                () -> forKosekiHolder(a, type, today, (c, facts, state, holder) -> {
                    List<MemberTokens.KosekiMember> selected = koseki.selected(choices, a);
                    Printing printing = new Printing(municipality, holder.requester().orElse(null), List.of(), request,
                            issuanceNumbers, today);
                    String keptFor = holder.requester().map(r -> r.record().residentId()).orElse("");
                    return new Outcome.Prepared(facts, state, koseki.prepare(holder, choices, selected, printing),
                            keptFor);
                }));
    }

    /**
     * Steps 1–3 of an issuance: {@code read} (a transaction that is never committed) until it is admissible, the
     * print run with no transaction open, and the short recording transaction; again from 1 when a sync batch of
     * the municipality was applied meanwhile.
     */
    private Outcome printAndRecord(Admission.Admitted a, String options, int fee, List<String> issuanceNumbers,
                                   java.util.function.Supplier<Outcome> read) {
        Municipality municipality = a.municipality();
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            Outcome was = read.get();
            if (!(was instanceof Outcome.Prepared prepared)) {
                return was;
            }
            // 2. Render and sign, with no transaction open: the slow part, done once per round.
            PrintOutcome outcome;
            try {
                outcome = prepared.print().render();
            } catch (Refusal r) {
                return new Outcome.Refused(printedBy(prepared), r);
            }
            // The run may have found whom it prints (a 戸籍 certificate's persons come with the answer).
            RequestFacts facts = printedBy(prepared);
            if (outcome instanceof PrintOutcome.NotPrintable np) {
                return new Outcome.Refused(facts, Eligibility.notIssuable(np.reason()));
            }
            PrintOutcome.Printed printed = (PrintOutcome.Printed) outcome;
            String pdfSha256 = Sha256.hex(printed.signedPdf());
            IssuanceAnswer made = IssuanceAnswer.of(facts, printed.signedPdf(), printed.pageCount(), pdfSha256, fee,
                    issuanceNumbers);
            Answer answer = made.answer();
            // 3. Record, if the replica is still what was read: a short transaction, cheap to run again, and safe to
            // run again after a commit that did happen (it claims the transaction id first: then Taken).
            Outcome written = db.inIdempotentTransaction(c -> {
                try {
                    if (!requesters.lock(c, municipality, a.now()).unchangedSince(prepared.state())) {
                        return new Outcome.Stale();
                    }
                    if (!CenterTransactions.claimWithNonce(c, a, made.kept(prepared.keptFor()))) {
                        return new Outcome.Taken();
                    }
                    record(c, facts, municipality, options, printed.pageCount(), pdfSha256, fee, issuanceNumbers,
                            a.now());
                    return new Outcome.Answered(answer);
                } catch (Refusal r) {
                    return new Outcome.Refused(facts, r);
                }
            }, o -> o instanceof Outcome.Answered);
            if (written instanceof Outcome.Answered) {
                OPS.info("issued {} for transaction {} ({} pages)", issuanceNumbers.get(0),
                        facts.centerTransactionId(), printed.pageCount());
            }
            if (!(written instanceof Outcome.Stale)) {
                return written;
            }
            OPS.debug("replica of {} changed while transaction {} was printed: printing again", municipality.code(),
                    facts.centerTransactionId());
        }
        throw new Refusal(ErrorCode.SERVICE_UNAVAILABLE, "the replica of " + municipality.code() + " changed "
                + MAX_ROUNDS + " times while the certificate was printed");
    }

    /** The request's facts with the persons the print run found it prints, when it is the run that knows them. */
    private static RequestFacts printedBy(Outcome.Prepared prepared) {
        return prepared.print().printedIds().map(prepared.facts()::withPrinted).orElse(prepared.facts());
    }

    /** The issuance row and the ISSUED log row, on the issuance's transaction (its claim kept the answer). */
    private void record(Connection c, RequestFacts facts, Municipality municipality, String options, int pageCount,
                        String pdfSha256, int fee, List<String> issuanceNumbers, Instant now) throws SQLException {
        String issuanceNumber = issuanceNumbers.get(0);
        insertIssuance(c, issuanceNumber, municipality.code(), facts, now, pageCount, fee, pdfSha256);
        log.write(c, facts.logRow(now, Result.ISSUED).options(options).pageCount(pageCount).fee(fee)
                .issuanceNumber(issuanceNumber).pdfSha256(pdfSha256).build());
    }

    // ---- the household listing (§4) ----

    /** Names and 続柄 only, with member ids sealed to this card for 10 minutes. */
    private Outcome list(Admission.Admitted a) {
        if (!CardRequest.HOUSEHOLD_LISTING.equals(a.request().certificateType())) {
            throw CardRequest.unsupported("the listing endpoint takes certificateType HOUSEHOLD_LISTING");
        }
        // The listing chooses members for a 住民票 or 記載事項証明書: it is open while one of them is.
        if (!(isOpen(a, CertificateType.JUMINHYO) || isOpen(a, CertificateType.JUMINHYO_KISAI))) {
            throw new Refusal(ErrorCode.OUTSIDE_SERVICE_HOURS, "outside service hours");
        }
        Municipality municipality = a.municipality();
        return forCardHolder(a, a.now().atZone(Tokyo.ZONE).toLocalDate(), true, (c, facts, requester) -> {
            List<Map<String, Object>> members = new ArrayList<>();
            for (ResidentRecord r : requester.household()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("memberId", memberTokens.seal(municipality.code(), r.residentId(), facts.card().id(),
                        a.now()));
                m.put("displayName", r.givenName() == null ? r.familyName() : r.familyName() + " " + r.givenName());
                m.put("relationship", r.relationship() == null ? "" : r.relationship());
                members.add(m);
            }
            byte[] answer = Json.bytes(Map.of("members", members));
            // The answer names every member: tie it to them, so that removing any of them deletes it.
            String memberIds = requester.household().stream().map(ResidentRecord::residentId)
                    .collect(Collectors.joining(","));
            CenterTransactions.answer(c, facts.caller(), facts.centerTransactionId(), 200, answer, memberIds);
            log.write(c, facts.logRow(a.now(), Result.LISTED).build());
            return new Outcome.Answered(new Answer(200, answer));
        });
    }

    // ---- the 戸籍 listing (§9) ----

    /**
     * The persons of the holder's 戸籍, names and 続柄 only, with 戸籍 member ids sealed to this card for 10 minutes:
     * the holder read on a transaction that is rolled back, the 戸籍システム asked with none open, and the answer
     * kept and logged ({@code LISTED}, as the household listing) on a short transaction that claims the id.
     */
    private Outcome listKoseki(Admission.Admitted a) {
        if (!CardRequest.KOSEKI_LISTING.equals(a.request().certificateType())) {
            throw CardRequest.unsupported("the 戸籍 listing endpoint takes certificateType KOSEKI_LISTING");
        }
        Municipality municipality = a.municipality();
        // The listing chooses persons for a 戸籍個人事項証明書 or 附票: offered and open while one of them is.
        if (municipality.koseki().isEmpty() || !(municipality.offers(CertificateType.KOSEKI_KOJIN)
                || municipality.offers(CertificateType.KOSEKI_FUHYO))) {
            throw CardRequest.unsupported("no 戸籍 certificate of chosen persons offered here");
        }
        if (!(isOpen(a, CertificateType.KOSEKI_KOJIN) || isOpen(a, CertificateType.KOSEKI_FUHYO))) {
            throw new Refusal(ErrorCode.OUTSIDE_SERVICE_HOURS, "outside service hours");
        }
        LocalDate today = a.now().atZone(Tokyo.ZONE).toLocalDate();
        Outcome read = forKosekiHolder(a, null, today,
                (c, facts, state, holder) -> new Outcome.KosekiRead(facts, holder));
        if (!(read instanceof Outcome.KosekiRead holder)) {
            return read;
        }
        List<Map<String, Object>> members;
        try {
            members = koseki.members(municipality, holder.holder(), a.facts().card().id(), a.now(), today);
        } catch (Refusal r) {
            return new Outcome.Refused(holder.facts(), r);
        }
        byte[] answer = Json.bytes(Map.of("members", members));
        String keptFor = holder.holder().requester().map(r -> r.record().residentId()).orElse("");
        return db.inTransaction(c -> {
            try {
                requesters.lock(c, municipality, a.now());
                if (!CenterTransactions.claimWithNonce(c, a, new CenterTransactions.Kept(200, answer, keptFor))) {
                    return new Outcome.Taken();
                }
                log.write(c, holder.facts().logRow(a.now(), Result.LISTED).build());
                return new Outcome.Answered(new Answer(200, answer));
            } catch (Refusal r) {
                return new Outcome.Refused(holder.facts(), r);
            }
        }, o -> o instanceof Outcome.Answered);
    }

    // ---- what every request does ----

    /** What a 戸籍 request does once its holder is found, on the request's read transaction. */
    @FunctionalInterface
    private interface WithKosekiHolder {
        /** A refusal thrown here is the request's answer with {@code facts} in its log row. */
        Outcome run(Connection c, RequestFacts facts, ReplicaState state, KosekiHolder holder) throws SQLException;
    }

    /**
     * The read transaction of a 戸籍 request (never committed): the replica lock, a nonce seen before
     * ({@code REPLAYED}), the card holder in the 戸籍 ({@link KosekiHolders}; with {@code type} the rules of §2 for
     * it on a resident holder, without — the listing — none but residence and age), and {@code then}.
     */
    private Outcome forKosekiHolder(Admission.Admitted a, CertificateType type, LocalDate today,
                                    WithKosekiHolder then) {
        Municipality municipality = a.municipality();
        return db.inTransaction(c -> {
            RequestFacts facts = a.facts();
            try {
                ReplicaState state = requesters.lock(c, municipality, a.now());
                CenterTransactions.requireUnspentNonce(c, facts.request().nonce());
                KosekiHolder holder = kosekiHolders.find(c, municipality, state, facts.card().id(), type, today);
                facts = facts.withRequester(holder.requester().map(r -> r.record().residentId()).orElse(null));
                return then.run(c, facts, state, holder);
            } catch (Refusal r) {
                return new Outcome.Refused(facts, r);
            }
        }, outcome -> false);
    }

    /** What a request does once its card holder is found, on the request's transaction. */
    @FunctionalInterface
    private interface WithCardHolder {
        /** A refusal thrown here rolls the transaction back with {@code facts} in its log row. */
        Outcome run(Connection c, RequestFacts facts, Requester requester) throws SQLException;
    }

    /**
     * A transaction of a card-signed request: the municipality's replica lock (first, so that no request holds a row
     * a sync batch would wait for), then the transaction id and the nonce, the card holder, and {@code then}. With
     * {@code claims} the id is claimed and the nonce spent, and the transaction commits unless it ends in a refusal;
     * without, it only reads (a nonce seen before is {@code REPLAYED}) and is rolled back: the issuance's first step,
     * which claims in the transaction that records.
     */
    private Outcome forCardHolder(Admission.Admitted a, LocalDate today, boolean claims, WithCardHolder then) {
        Municipality municipality = a.municipality();
        return db.inTransaction(c -> {
            RequestFacts facts = a.facts();
            try {
                ReplicaState state = requesters.lock(c, municipality, a.now());
                if (claims && !CenterTransactions.claimWithNonce(c, a)) {
                    return new Outcome.Taken();
                }
                if (!claims) {
                    CenterTransactions.requireUnspentNonce(c, facts.request().nonce());
                }
                Requesters.Binding binding = requesters.binding(c, state, facts.card().id());
                facts = facts.withRequester(binding.residentId());
                return then.run(c, facts, requesters.find(c, municipality, binding, today));
            } catch (Refusal r) {
                return new Outcome.Refused(facts, r);
            }
        }, outcome -> claims && !(outcome instanceof Outcome.Refused));
    }

    /**
     * The type is open now (contract §8): its hours (weekdays only where it says so, national holidays shipped as
     * data), not 12/29–1/3, not stopped.
     */
    private static void requireOpen(Admission.Admitted a, CertificateType type) {
        if (!isOpen(a, type)) {
            throw new Refusal(ErrorCode.OUTSIDE_SERVICE_HOURS, "outside the service hours of " + type);
        }
    }

    private static boolean isOpen(Admission.Admitted a, CertificateType type) {
        return a.municipality().offers(type) && a.municipality().isOpen(type, a.now().atZone(Tokyo.ZONE));
    }

    /**
     * A refusal: its answer, kept for the transaction id (and the nonce spent) when the request was authentic, and
     * its REFUSED log row.
     */
    private Answer refuse(Endpoint endpoint, RequestFacts facts, Refusal r, long started) {
        if (r.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            OPS.error("ALARM transaction {} not served: {}", facts.centerTransactionId(), r.getMessage());
        } else {
            OPS.info("refused transaction {}: {} ({})", facts.centerTransactionId(), r.code(), r.getMessage());
        }
        byte[] body = Answers.refusalBody(r.code(), r.extra());
        Instant now = clock.instant();
        db.inTransaction(c -> {
            CenterTransactions.keepRefusal(c, facts, r, body, now);
            log.write(c, facts.logRow(now, Result.REFUSED).code(r.code().name()).build());
            return null;
        });
        meters.answered(endpoint, facts, Result.REFUSED, r.code(), started);
        return new Answer(r.code().status(), body);
    }

    /** A failure of ours (or of a dependency such as the time-stamp authority): nothing issued, one FAILED row. */
    private Answer fail(Endpoint endpoint, RequestFacts facts, RuntimeException e, long started) {
        String municipality = facts.request() == null ? null : facts.request().municipalityCode();
        if (municipality == null) {
            OPS.error("ALARM transaction {} failed, nothing issued: {}", facts.centerTransactionId(), e.toString(), e);
        } else {
            // the row names the exception's class only: a message might quote something of the request
            alarms.occurred(AlarmKind.TRANSACTION_FAILED, municipality, e.getClass().getSimpleName(),
                    "transaction=" + facts.centerTransactionId() + " cause=" + e.getClass().getSimpleName(), e);
        }
        try {
            log.write(facts.logRow(clock.instant(), Result.FAILED).code(ErrorCode.SERVICE_UNAVAILABLE.name()).build());
        } catch (DatabaseUnavailableException dbDown) {
            OPS.error("ALARM failed transaction {} not logged: database unavailable", facts.centerTransactionId());
        }
        meters.answered(endpoint, facts, Result.FAILED, ErrorCode.SERVICE_UNAVAILABLE, started);
        return new Answer(503, Answers.refusalBody(ErrorCode.SERVICE_UNAVAILABLE, Map.of()));
    }

    private static void insertIssuance(Connection c, String number, String municipality, RequestFacts facts,
                                       Instant now, int pages, int fee, String pdfSha256) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO issuance (issuance_number, municipality_code, center_transaction_id, status, issued_at,
                    caller, certificate_type, copies, page_count, fee, pdf_sha256, caller_key)
                VALUES (?, ?, ?, 'ISSUED', ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, number);
            s.setString(2, municipality);
            s.setString(3, facts.centerTransactionId());
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, facts.caller().toString());
            s.setString(6, facts.request().certificateType());
            s.setInt(7, facts.request().copies());
            s.setInt(8, pages);
            s.setInt(9, fee);
            s.setString(10, pdfSha256);
            s.setString(11, facts.caller().key());
            s.executeUpdate();
        }
    }
}
