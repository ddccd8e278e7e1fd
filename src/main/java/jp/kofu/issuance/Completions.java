package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.audit.IssuanceLog;
import jp.kofu.audit.IssuanceLogEntry;
import jp.kofu.db.Database;
import jp.kofu.http.Caller;
import jp.kofu.contract.ErrorCode;
import jp.kofu.contract.Refusal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of an issuance (contract §3): PRINTED when the store printed it, VOIDED when printing failed or nobody
 * said within {@link #VOID_AFTER}. Only PRINTED issuances count toward fees. Completion is idempotent, and accepted
 * only from the caller that received the issuance (§7).
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
            // Only the caller that received the issuance may complete it (§7); to any other it does not exist.
            try (PreparedStatement s = c.prepareStatement("SELECT status, issued_at, municipality_code FROM issuance"
                    + " WHERE issuance_number = ? AND caller_key = ? FOR UPDATE")) {
                s.setString(1, issuanceNumber);
                s.setString(2, caller.key());
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
                voidLate(c, issuanceNumber, municipality, now);
                status = "VOIDED";
            }
            if (!"ISSUED".equals(status)) {
                if (status.equals(wanted)) {
                    return status;
                }
                throw new Refusal(ErrorCode.TRANSACTION_CONFLICT, "issuance already " + status);
            }
            setStatus(c, issuanceNumber, wanted, printed ? null : reason, now);
            log.write(c, completion(now, wanted, printed ? null : reason, municipality, caller.toString(),
                    issuanceNumber));
            return wanted;
        });
    }

    /** Voids issuances that were never completed in time, each with its row in the issuance log. */
    int voidStale() {
        Instant now = clock.instant();
        List<String[]> stale = db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT issuance_number, municipality_code FROM issuance"
                    + " WHERE status = 'ISSUED' AND issued_at < ? ORDER BY issued_at LIMIT 1000")) {
                s.setTimestamp(1, Timestamp.from(now.minus(VOID_AFTER)));
                List<String[]> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
                return found;
            }
        });
        int voided = 0;
        for (String[] issuance : stale) {
            voided += db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT status, issued_at FROM issuance"
                        + " WHERE issuance_number = ? FOR UPDATE")) {
                    s.setString(1, issuance[0]);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next() || !"ISSUED".equals(rs.getString(1))
                                || !rs.getTimestamp(2).toInstant().plus(VOID_AFTER).isBefore(now)) {
                            return 0; // completed meanwhile, on this node or another
                        }
                    }
                }
                voidLate(c, issuance[0], issuance[1], now);
                return 1;
            });
        }
        return voided;
    }

    /** VOIDED for want of a completion in time; the log row is the last statement (it locks the log's chain). */
    private void voidLate(Connection c, String number, String municipality, Instant now) throws SQLException {
        setStatus(c, number, "VOIDED", "NOT_COMPLETED_IN_TIME", now);
        log.write(c, completion(now, "VOIDED", "NOT_COMPLETED_IN_TIME", municipality, null, number));
    }

    /** The log row of a completion: its result, the reason of a void as its code, and the issuance number. */
    private static IssuanceLogEntry completion(Instant now, String result, String reason, String municipality,
                                               String caller, String issuanceNumber) {
        return IssuanceLogEntry.of(now, IssuanceLogEntry.Endpoint.COMPLETION, IssuanceLogEntry.Result.valueOf(result))
                .code(reason).municipality(municipality).caller(caller).issuanceNumber(issuanceNumber).build();
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
