package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.audit.IssuanceLog;
import jp.kofu.audit.IssuanceLogEntry;
import jp.kofu.db.Database;
import jp.kofu.http.Caller;
import jp.kofu.http.ErrorCode;
import jp.kofu.http.Refusal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The end of an issuance (contract §3): PRINTED when the store printed it, VOIDED when printing failed or nobody
 * said within {@link #VOID_AFTER}. Only PRINTED issuances count toward fees. Completion is idempotent.
 */
@Singleton
final class Completions {
    static final Duration VOID_AFTER = Duration.ofMinutes(10);

    private final Database db;
    private final IssuanceLog log;
    private final Clock clock;

    Completions(Database db, IssuanceLog log, Clock clock) {
        this.db = db;
        this.log = log;
        this.clock = clock;
    }

    /** Completes the issuance; answers its final status. */
    String complete(String issuanceNumber, boolean printed, String reason, Caller caller) {
        Instant now = clock.instant();
        String wanted = printed ? "PRINTED" : "VOIDED";
        return db.inTransaction(c -> {
            String status;
            Instant issuedAt;
            String municipality;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT status, issued_at, municipality_code FROM issuance WHERE issuance_number = ? FOR UPDATE")) {
                s.setString(1, issuanceNumber);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new Refusal(ErrorCode.ISSUANCE_NOT_FOUND, "no such issuance");
                    }
                    status = rs.getString(1);
                    issuedAt = rs.getTimestamp(2).toInstant();
                    municipality = rs.getString(3);
                }
            }
            if ("ISSUED".equals(status) && issuedAt.plus(VOID_AFTER).isBefore(now)) {
                setStatus(c, issuanceNumber, "VOIDED", "NOT_COMPLETED_IN_TIME", now);
                status = "VOIDED";
            }
            if (!"ISSUED".equals(status)) {
                if (status.equals(wanted)) {
                    return status;
                }
                throw new Refusal(ErrorCode.TRANSACTION_CONFLICT, "issuance already " + status);
            }
            setStatus(c, issuanceNumber, wanted, printed ? null : reason, now);
            log.write(c, new IssuanceLogEntry(now, "COMPLETION", wanted, null, municipality, null, null, null, null,
                    caller.toString(), null, null, null, null, null, null, printed ? null : reason, null, null, null,
                    issuanceNumber, null));
            return wanted;
        });
    }

    /** Voids issuances that were never completed in time. */
    int voidStale() {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE issuance SET status = 'VOIDED', completed_at = ?, completion_reason = 'NOT_COMPLETED_IN_TIME'
                    WHERE status = 'ISSUED' AND issued_at < ?""")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setTimestamp(2, Timestamp.from(now.minus(VOID_AFTER)));
                return s.executeUpdate();
            }
        });
    }

    private static void setStatus(Connection c, String number, String status, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE issuance SET status = ?, completed_at = ?, completion_reason = ? WHERE issuance_number = ?")) {
            s.setString(1, status);
            s.setTimestamp(2, Timestamp.from(now));
            s.setString(3, reason);
            s.setString(4, number);
            s.executeUpdate();
        }
    }
}
