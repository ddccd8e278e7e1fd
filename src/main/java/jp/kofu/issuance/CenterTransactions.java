package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;

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
 * The answers given per {@code centerTransactionId}, kept {@link #KEEP} so that a retry with the same body gets
 * the same answer byte for byte (contract §3), on whichever node it lands.
 */
@Singleton
final class CenterTransactions {
    static final Duration KEEP = Duration.ofMinutes(10);

    record Answer(String bodySha256, int status, byte[] body, Instant createdAt) {}

    private final Database db;

    CenterTransactions(Database db) {
        this.db = db;
    }

    Optional<Answer> find(String centerTransactionId) {
        return db.withConnection(c -> find(c, centerTransactionId));
    }

    static Optional<Answer> find(Connection c, String centerTransactionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT body_sha256, http_status, answer, created_at FROM center_transaction
                WHERE center_transaction_id = ?""")) {
            s.setString(1, centerTransactionId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Answer(rs.getString(1), rs.getInt(2), rs.getBytes(3), rs.getTimestamp(4).toInstant()))
                        : Optional.empty();
            }
        }
    }

    /**
     * Claims the id on the caller's transaction. A concurrent request with the same id waits here until this
     * transaction ends, then finds the id taken; answers false when it is.
     */
    static boolean claim(Connection c, String centerTransactionId, String bodySha256, String municipalityCode,
                         Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO center_transaction (center_transaction_id, body_sha256, http_status, answer,
                    municipality_code, created_at) VALUES (?, ?, 0, '', ?, ?)""")) {
            s.setString(1, centerTransactionId);
            s.setString(2, bodySha256);
            s.setString(3, municipalityCode);
            s.setTimestamp(4, Timestamp.from(now));
            s.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            return false;
        }
    }

    static void answer(Connection c, String centerTransactionId, int status, byte[] body, String residentIds)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE center_transaction SET http_status = ?, answer = ?, resident_ids = ?
                WHERE center_transaction_id = ?""")) {
            s.setInt(1, status);
            s.setBytes(2, body);
            s.setString(3, residentIds);
            s.setString(4, centerTransactionId);
            s.executeUpdate();
        }
    }

    /** Records a refusal's answer unless the id was taken meanwhile. */
    static void recordRefusal(Connection c, String centerTransactionId, String bodySha256, String municipalityCode,
                              int status, byte[] body, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT IGNORE INTO center_transaction (center_transaction_id, body_sha256, http_status, answer,
                    municipality_code, created_at) VALUES (?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, centerTransactionId);
            s.setString(2, bodySha256);
            s.setInt(3, status);
            s.setBytes(4, body);
            s.setString(5, municipalityCode);
            s.setTimestamp(6, Timestamp.from(now));
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
}
