package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.card.CardId;
import jp.kofu.db.Database;
import jp.kofu.http.Caller;
import jp.kofu.replica.ReplicaDependents;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The answers given per caller and {@code centerTransactionId}, kept {@link #KEEP} so that a retry with the same
 * body gets the same answer byte for byte (contract §3), on whichever node it lands. An id is the caller's own
 * (§7): the same id from another caller names another transaction, and an answer is replayed only to the caller
 * that got it. A kept answer holds a certificate: it goes as soon as anyone it prints is removed or blocked, the
 * card that asked for it is revoked, or the replica is replaced.
 */
@Singleton
final class CenterTransactions implements ReplicaDependents {
    static final Duration KEEP = Duration.ofMinutes(10);

    record Answer(String bodySha256, int status, byte[] body, Instant createdAt) {}

    private final Database db;

    CenterTransactions(Database db) {
        this.db = db;
    }

    Optional<Answer> find(Caller caller, String centerTransactionId) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT body_sha256, http_status, answer, answer_pdf, answer_pdf_at, created_at
                    FROM center_transaction WHERE caller_key = ? AND center_transaction_id = ?""")) {
                s.setString(1, caller.key());
                s.setString(2, centerTransactionId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    byte[] pdf = rs.getBytes(4);
                    byte[] body = pdf == null ? rs.getBytes(3) : IssuanceAnswer.body(rs.getBytes(3), rs.getInt(5), pdf);
                    return Optional.of(new Answer(rs.getString(1), rs.getInt(2), body,
                            rs.getTimestamp(6).toInstant()));
                }
            }
        });
    }

    /**
     * Claims the caller's id on the caller's transaction. A concurrent request with the same id waits here until
     * this transaction ends, then finds the id taken; answers false when it is.
     */
    private static boolean claim(Connection c, Caller caller, String centerTransactionId, String bodySha256,
                                 String municipalityCode, CardId card, Kept kept, Instant now) throws SQLException {
        try {
            insert(c, "INSERT", caller, centerTransactionId, bodySha256, municipalityCode, card, kept, now);
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            return false;
        }
    }

    /** The answer of a claimed id, tied to the residents it names (removing or blocking any of them deletes it). */
    static void answer(Connection c, Caller caller, String centerTransactionId, int status, byte[] body,
                       String residentIds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE center_transaction SET http_status = ?, answer = ?, resident_ids = ?
                WHERE caller_key = ? AND center_transaction_id = ?""")) {
            s.setInt(1, status);
            s.setBytes(2, body);
            s.setString(3, residentList(residentIds));
            s.setString(4, caller.key());
            s.setString(5, centerTransactionId);
            s.executeUpdate();
        }
    }

    /** {@code ,R1,R2,}: the form that {@code resident_ids LIKE '%,R1,%'} finds. */
    private static String residentList(String residentIds) {
        return "," + residentIds + ",";
    }

    /** Records a refusal's answer unless the id was taken meanwhile. */
    static void recordRefusal(Connection c, Caller caller, String centerTransactionId, String bodySha256,
                              String municipalityCode, CardId card, int status, byte[] body, Instant now)
            throws SQLException {
        insert(c, "INSERT IGNORE", caller, centerTransactionId, bodySha256, municipalityCode, card,
                new Kept(status, body, null), now);
    }

    /**
     * The first steps of an admitted request's transaction: claims the caller's transaction id (a concurrent request
     * with the same id waits here until that transaction ends, then finds it taken: false) and spends the nonce
     * ({@code REPLAYED} thrown).
     */
    static boolean claimWithNonce(Connection c, Admission.Admitted a) throws SQLException {
        return claimWithNonce(c, a, Kept.NONE_YET);
    }

    /**
     * An answer kept for a claimed id: its status, body and the residents it names ({@code R1,R2}; removing or
     * blocking any of them deletes it), or none yet ({@link #answer} gives it later on the same transaction). An
     * issuance's answer keeps its PDF as bytes: {@code body} is then the JSON without the PDF's base64 text, which
     * goes at byte {@code pdfAt} ({@link IssuanceAnswer}).
     */
    record Kept(int status, byte[] body, byte[] pdf, int pdfAt, String residentIds) {
        static final Kept NONE_YET = new Kept(0, new byte[0], null);

        Kept(int status, byte[] body, String residentIds) {
            this(status, body, null, 0, residentIds);
        }
    }

    /**
     * {@link #claimWithNonce(Connection, Admission.Admitted)} with the answer already made: the id's row is written
     * with it, in one statement (an issuance's answer holds the whole PDF: written once, not as an empty claim and
     * an update).
     */
    static boolean claimWithNonce(Connection c, Admission.Admitted a, Kept kept) throws SQLException {
        RequestFacts f = a.facts();
        if (!claim(c, f.caller(), f.centerTransactionId(), f.bodySha256(), a.municipality().code(), f.card().id(),
                kept, a.now())) {
            return false;
        }
        if (!spendNonce(c, f.request().nonce(), a.now())) {
            throw new jp.kofu.contract.Refusal(jp.kofu.contract.ErrorCode.REPLAYED, "nonce seen before");
        }
        return true;
    }

    /**
     * Keeps a refusal as the answer of the request's transaction id and spends its nonce: only for an authentic
     * request, and never a 503 or 429 (a retry may succeed then).
     */
    static void keepRefusal(Connection c, RequestFacts f, jp.kofu.contract.Refusal r, byte[] body, Instant at)
            throws SQLException {
        if (f.authentic() && r.code() != jp.kofu.contract.ErrorCode.SERVICE_UNAVAILABLE
                && r.code() != jp.kofu.contract.ErrorCode.RATE_LIMITED) {
            recordRefusal(c, f.caller(), f.centerTransactionId(), f.bodySha256(), f.request().municipalityCode(),
                    f.card().id(), r.code().status(), body, at);
            spendNonce(c, f.request().nonce(), at);
        }
    }

    /**
     * Refuses a nonce spent before ({@code REPLAYED}), reading only: the first, rolled-back step of a request that
     * spends its nonce later, in {@link #claimWithNonce}.
     */
    static void requireUnspentNonce(Connection c, String nonce) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM card_nonce WHERE nonce = ?")) {
            s.setString(1, nonce);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    throw new jp.kofu.contract.Refusal(jp.kofu.contract.ErrorCode.REPLAYED, "nonce seen before");
                }
            }
        }
    }

    /** Spends a nonce: false when it was spent before. */
    private static boolean spendNonce(Connection c, String nonce, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO card_nonce (nonce, seen_at) VALUES (?, ?)")) {
            s.setString(1, nonce);
            s.setTimestamp(2, Timestamp.from(at));
            s.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            return false;
        }
    }

    private static void insert(Connection c, String verb, Caller caller, String centerTransactionId,
                               String bodySha256, String municipalityCode, CardId card, Kept kept, Instant now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(verb + " " + """
                INTO center_transaction (caller_key, center_transaction_id, body_sha256, http_status, answer,
                    answer_pdf, answer_pdf_at, resident_ids, municipality_code, card_issuer, card_serial, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, caller.key());
            s.setString(2, centerTransactionId);
            s.setString(3, bodySha256);
            s.setInt(4, kept.status());
            s.setBytes(5, kept.body());
            s.setBytes(6, kept.pdf());
            if (kept.pdf() == null) {
                s.setNull(7, java.sql.Types.INTEGER);
            } else {
                s.setInt(7, kept.pdfAt());
            }
            s.setString(8, kept.residentIds() == null ? "" : residentList(kept.residentIds()));
            s.setString(9, municipalityCode);
            s.setString(10, card.issuerKey());
            s.setString(11, card.serialHex());
            s.setTimestamp(12, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    /** Removes answers older than {@link #KEEP}. */
    int purge(Instant now) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM center_transaction WHERE created_at < ?")) {
                s.setTimestamp(1, Timestamp.from(now.minus(KEEP)));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void personWithdrawn(Connection c, String municipalityCode, String residentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM center_transaction"
                + " WHERE municipality_code = ? AND resident_ids LIKE ? ESCAPE '!'")) {
            s.setString(1, municipalityCode);
            s.setString(2, "%," + likeLiteral(residentId) + ",%");
            s.executeUpdate();
        }
    }

    @Override
    public void cardRevoked(Connection c, String municipalityCode, CardId card) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM center_transaction"
                + " WHERE municipality_code = ? AND card_issuer = ? AND card_serial = ?")) {
            s.setString(1, municipalityCode);
            s.setString(2, card.issuerKey());
            s.setString(3, card.serialHex());
            s.executeUpdate();
        }
    }

    @Override
    public void replicaReplaced(Connection c, String municipalityCode) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM center_transaction WHERE municipality_code = ?")) {
            s.setString(1, municipalityCode);
            s.executeUpdate();
        }
    }

    /** A value matched literally by {@code LIKE … ESCAPE '!'}: its {@code %}, {@code _} and {@code !} escaped. */
    static String likeLiteral(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
