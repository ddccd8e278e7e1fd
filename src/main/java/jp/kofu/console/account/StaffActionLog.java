package jp.kofu.console.account;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;

/**
 * The append-only staff action log ({@code staff_action_log}). Rows are only ever inserted: nothing in Kofu
 * updates or deletes them, and the database user may be granted INSERT and SELECT on the table only.
 */
@Singleton
public final class StaffActionLog {
    private final Database db;
    private final Clock clock;

    public StaffActionLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void write(StaffAction a) {
        db.withConnection(c -> {
            write(c, a);
            return null;
        });
    }

    /** Writes on the caller's transaction, so that the row exists exactly when the change it records does. */
    public void write(Connection c, StaffAction a) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO staff_action_log (logged_at, municipality_code, staff_login, action, outcome, target,
                    filters, resident_id, result_count, client_address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, a.municipalityCode());
            s.setString(3, a.staffLogin());
            s.setString(4, a.kind().name());
            s.setString(5, a.outcome().name());
            s.setString(6, cut(a.target(), 64));
            s.setString(7, cut(a.filters(), 1024));
            s.setString(8, cut(a.residentId(), 32));
            if (a.resultCount() == null) {
                s.setNull(9, Types.INTEGER);
            } else {
                s.setInt(9, a.resultCount());
            }
            s.setString(10, cut(a.clientAddress(), 64));
            s.executeUpdate();
        }
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
