package jp.kofu.koseki.registration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jp.kofu.card.CardId;
import jp.kofu.contract.Sha256;
import jp.kofu.db.Database;
import jp.kofu.koseki.KosekiConnector;
import jp.kofu.koseki.KosekiResult;
import jp.kofu.municipality.Municipality;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * 本籍地 利用登録 (contract §9, docs/koseki-registration.md): applications of card certificates to be bound to a person
 * of this municipality's 戸籍 ({@code koseki_registration}), their review by staff, and — the seam 戸籍 issuance reads
 * — which person a card certificate was approved for.
 *
 * <p>The applied fields are personal data kept only while an application is {@code PENDING}: every decision (approval,
 * rejection, a newer application of the same card) sets them to NULL in its own statement.
 */
@Singleton
public class KosekiRegistrations {
    /** A registration id: {@code KR-} and 24 base64url characters (144 random bits). */
    static final Pattern ID = Pattern.compile("KR-[A-Za-z0-9_-]{24}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String FORGET = "honseki = NULL, hittosha = NULL, name = NULL, birth_date = NULL";

    /** Why staff rejected an application: fixed codes, so that no free text (and no personal data) is stored. */
    public enum RejectReason {
        NOT_IN_KOSEKI("戸籍に該当する方がいない"),
        IDENTITY_UNCONFIRMED("本人であることを確認できない"),
        DUPLICATE("重複した申請"),
        OTHER("その他（窓口で案内）");

        private final String label;

        RejectReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What the 戸籍システム's person lookup came to, for the approval of one application. */
    public sealed interface Lookup {
        record Found(String personKey) implements Lookup {
            @Override
            public String toString() {
                return "Found[…]";
            }
        }

        /** No such person in this 戸籍 (404): the application cannot be approved as it stands. */
        record NotFound() implements Lookup {}

        /** A 届出 not yet reflected in the 戸籍 (409): try again later. */
        record PendingNotification() implements Lookup {}

        /** No usable answer (timeout, connection, breaker, no link, an answer refused as not ours). */
        record Unavailable(String reason) implements Lookup {}
    }

    private final Database db;
    private final KosekiConnector connector;

    @Inject
    public KosekiRegistrations(Database db, KosekiConnector connector) {
        this.db = db;
        this.connector = connector;
    }

    /**
     * For a test double of the seam (a subclass overriding {@link #approvedPersonKey}), as the class was before
     * registrations were built: nothing but the seam works on such an instance.
     */
    protected KosekiRegistrations() {
        this(null, null);
    }

    /**
     * The 戸籍システム's person key of the card's holder, when staff approved a registration of exactly this card
     * certificate for this municipality; read on the caller's transaction. With several approvals of the card (a
     * re-registration), the latest decided.
     */
    public Optional<String> approvedPersonKey(Connection c, String municipalityCode, CardId card)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT person_key FROM koseki_registration
                WHERE municipality_code = ? AND card_issuer_key = ? AND card_serial = ? AND status = 'APPROVED'
                ORDER BY decided_at DESC LIMIT 1""")) {
            s.setString(1, municipalityCode);
            s.setString(2, issuerKey(card));
            s.setString(3, card.serialHex());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    // ---- the center side ----

    static String newId() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return "KR-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The key a card's issuer is stored under, as card_binding keys it: SHA-256 of its canonical DN. */
    static String issuerKey(CardId card) {
        return Sha256.hex(card.issuerKey());
    }

    /**
     * Stores a new PENDING application on the caller's transaction. An earlier PENDING application of the same card
     * for the same municipality is replaced: it becomes REJECTED ({@code SUPERSEDED}) and its fields are forgotten.
     */
    static void insert(Connection c, String registrationId, String municipalityCode, CardId card, String callerKey,
                       String centerTransactionId, AppliedFields fields, Instant now) throws SQLException {
        List<String> earlier = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT registration_id FROM koseki_registration
                WHERE municipality_code = ? AND card_issuer_key = ? AND card_serial = ? AND status = 'PENDING'
                FOR UPDATE""")) {
            s.setString(1, municipalityCode);
            s.setString(2, issuerKey(card));
            s.setString(3, card.serialHex());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    earlier.add(rs.getString(1));
                }
            }
        }
        for (String id : earlier) {
            try (PreparedStatement s = c.prepareStatement("UPDATE koseki_registration SET status = 'REJECTED', "
                    + "reject_reason = 'SUPERSEDED', decided_at = ?, " + FORGET + " WHERE registration_id = ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setString(2, id);
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO koseki_registration (registration_id, municipality_code, card_issuer_key, card_serial,
                    caller_key, center_transaction_id, status, honseki, hittosha, name, birth_date, applied_at)
                VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?)""")) {
            s.setString(1, registrationId);
            s.setString(2, municipalityCode);
            s.setString(3, issuerKey(card));
            s.setString(4, card.serialHex());
            s.setString(5, callerKey);
            s.setString(6, centerTransactionId);
            s.setString(7, fields.honseki());
            s.setString(8, fields.hittosha());
            s.setString(9, fields.name());
            s.setDate(10, Date.valueOf(fields.birthDate()));
            s.setTimestamp(11, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    /** The status and municipality of a registration, for the caller that applied only (another caller: empty). */
    record Status(String status, String municipalityCode) {}

    Optional<Status> status(String registrationId, String callerKey) {
        if (!ID.matcher(registrationId).matches()) {
            return Optional.empty();
        }
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT status, municipality_code FROM koseki_registration"
                    + " WHERE registration_id = ? AND caller_key = ?")) {
                s.setString(1, registrationId);
                s.setString(2, callerKey);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Status(rs.getString(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    // ---- the console side (jp.kofu.console.KosekiReviewController) ----

    /** The PENDING applications of a municipality, oldest first (at most {@code limit}). */
    public List<Application> pending(String municipalityCode, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT registration_id, municipality_code, honseki, hittosha, name, birth_date, applied_at
                    FROM koseki_registration WHERE municipality_code = ? AND status = 'PENDING'
                    ORDER BY applied_at, registration_id LIMIT ?""")) {
                s.setString(1, municipalityCode);
                s.setInt(2, limit);
                try (ResultSet rs = s.executeQuery()) {
                    List<Application> all = new ArrayList<>();
                    while (rs.next()) {
                        all.add(read(rs));
                    }
                    return all;
                }
            }
        });
    }

    /** A PENDING application of this municipality; one of another municipality, or decided, is none. */
    public Optional<Application> pendingOne(String municipalityCode, String registrationId) {
        if (registrationId == null || !ID.matcher(registrationId).matches()) {
            return Optional.empty();
        }
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT registration_id, municipality_code, honseki, hittosha, name, birth_date, applied_at
                    FROM koseki_registration
                    WHERE registration_id = ? AND municipality_code = ? AND status = 'PENDING'""")) {
                s.setString(1, registrationId);
                s.setString(2, municipalityCode);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Asks the municipality's 戸籍システム for the person the application names. Makes an HTTP call: never on a
     * database transaction.
     */
    public Lookup lookup(Municipality municipality, Application a) {
        KosekiResult<Optional<String>> r = connector.personLookup(municipality, a.honseki(), a.hittosha(), a.name(),
                a.birthDate());
        if (r instanceof KosekiResult.Answered<Optional<String>> answered) {
            Optional<String> key = answered.value();
            if (key.isPresent() && !isStorableKey(key.get())) {
                return new Lookup.Unavailable("PERSON_KEY_FORM"); // not a key this store can keep as it was given
            }
            return key.<Lookup>map(Lookup.Found::new).orElseGet(Lookup.NotFound::new);
        }
        if (r instanceof KosekiResult.NotIssuable<Optional<String>> n) {
            return n.reason() == KosekiResult.NotIssuableReason.NOT_FOUND ? new Lookup.NotFound()
                    : new Lookup.PendingNotification();
        }
        if (r instanceof KosekiResult.Unavailable<Optional<String>> u) {
            return new Lookup.Unavailable(u.reason().name());
        }
        return new Lookup.Unavailable("MISMATCH");
    }

    /** A person key fits {@code person_key}: 1–64 characters, none of them a control or format character. */
    static boolean isStorableKey(String key) {
        return !key.isEmpty() && key.codePointCount(0, key.length()) <= 64 && AppliedFields.printable(key);
    }

    /**
     * Approves a PENDING application of this municipality with the person key the lookup found, on the caller's
     * transaction, and forgets its applied fields; false when it is no longer PENDING (decided or replaced since).
     */
    public boolean approve(Connection c, String municipalityCode, String registrationId, String personKey,
                           String staffLogin, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE koseki_registration SET status = 'APPROVED', "
                + "person_key = ?, decided_at = ?, decided_by = ?, " + FORGET
                + " WHERE registration_id = ? AND municipality_code = ? AND status = 'PENDING'")) {
            s.setString(1, personKey);
            s.setTimestamp(2, Timestamp.from(now));
            s.setString(3, staffLogin);
            s.setString(4, registrationId);
            s.setString(5, municipalityCode);
            return s.executeUpdate() == 1;
        }
    }

    /** Rejects a PENDING application of this municipality, on the caller's transaction, and deletes its fields. */
    public boolean reject(Connection c, String municipalityCode, String registrationId, RejectReason reason,
                          String staffLogin, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE koseki_registration SET status = 'REJECTED', "
                + "reject_reason = ?, decided_at = ?, decided_by = ?, " + FORGET
                + " WHERE registration_id = ? AND municipality_code = ? AND status = 'PENDING'")) {
            s.setString(1, reason.name());
            s.setTimestamp(2, Timestamp.from(now));
            s.setString(3, staffLogin);
            s.setString(4, registrationId);
            s.setString(5, municipalityCode);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Rejects ({@code EXPIRED}) every PENDING application applied before {@code cutoff}, deleting its fields;
     * answers how many.
     */
    int expire(Instant cutoff, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE koseki_registration SET status = 'REJECTED', "
                    + "reject_reason = 'EXPIRED', decided_at = ?, " + FORGET
                    + " WHERE status = 'PENDING' AND applied_at < ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setTimestamp(2, Timestamp.from(cutoff));
                return s.executeUpdate();
            }
        });
    }

    private static Application read(ResultSet rs) throws SQLException {
        return new Application(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getDate(6).toLocalDate(), rs.getTimestamp(7).toInstant());
    }
}
