package jp.kofu.audit;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/** The append-only issuance log: one row per request to {@code /center/**}. */
@Singleton
public final class IssuanceLog {
    private final Database db;

    public IssuanceLog(Database db) {
        this.db = db;
    }

    /** Writes the entry in its own transaction. */
    public void write(IssuanceLogEntry e) {
        db.inTransaction(c -> {
            write(c, e);
            return null;
        });
    }

    /** Writes the entry on the caller's transaction, so that it exists exactly when the issuance does. */
    public void write(Connection c, IssuanceLogEntry e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO issuance_log (logged_at, endpoint, result, code, municipality_code, channel, store_code,
                    terminal_id, center_transaction_id, caller, card_issuer, card_serial, requester_id, printed_ids,
                    certificate_type, scope, options, copies, page_count, fee, issuance_number, pdf_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setTimestamp(1, Timestamp.from(e.loggedAt()));
            s.setString(2, e.endpoint());
            s.setString(3, e.result());
            s.setString(4, e.code());
            s.setString(5, e.municipalityCode());
            s.setString(6, e.channel());
            s.setString(7, e.storeCode());
            s.setString(8, e.terminalId());
            s.setString(9, e.centerTransactionId());
            s.setString(10, e.caller());
            s.setString(11, e.cardIssuer());
            s.setString(12, e.cardSerial());
            s.setString(13, e.requesterId());
            s.setString(14, e.printedIds());
            s.setString(15, e.certificateType());
            s.setString(16, e.scope());
            s.setString(17, e.options());
            setInt(s, 18, e.copies());
            setInt(s, 19, e.pageCount());
            setInt(s, 20, e.fee());
            s.setString(21, e.issuanceNumber());
            s.setString(22, e.pdfSha256());
            s.executeUpdate();
        }
    }

    private static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }
}
