package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * 発行番号 {@code <municipality>-<yyyyMMdd>-<nnnnnn>}, counted per municipality and day in the database so that
 * every node draws from one sequence. A number is drawn in its own short transaction; a request that then fails
 * leaves a gap that the issuance log explains.
 */
@Singleton
final class IssuanceNumbers {
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final Database db;

    IssuanceNumbers(Database db) {
        this.db = db;
    }

    String next(String municipalityCode, LocalDate day) {
        int value = db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO issuance_counter (municipality_code, issue_date, last_value) VALUES (?, ?, 1)
                    ON DUPLICATE KEY UPDATE last_value = last_value + 1""")) {
                s.setString(1, municipalityCode);
                s.setDate(2, Date.valueOf(day));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT last_value FROM issuance_counter WHERE municipality_code = ? AND issue_date = ?")) {
                s.setString(1, municipalityCode);
                s.setDate(2, Date.valueOf(day));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        return municipalityCode + "-" + DAY.format(day) + "-" + String.format("%06d", value);
    }
}
