package jp.kofu.issuance;

import jakarta.inject.Singleton;
import jp.kofu.contract.IssuanceNumber;
import jp.kofu.db.Database;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.List;

/**
 * 発行番号 {@code <municipality>-<yyyyMMdd>-<nnnnnn>} ({@link IssuanceNumber}), counted per municipality and day in
 * the database so that every node draws from one sequence; the copies of one issuance draw a consecutive block. A number is drawn in its own short transaction; a request that then fails
 * leaves a gap that the issuance log explains.
 */
@Singleton
final class IssuanceNumbers {
    private final Database db;

    IssuanceNumbers(Database db) {
        this.db = db;
    }

    /** The numbers of {@code copies} copies: consecutive, drawn at once (contract §8: each copy its own 発行番号). */
    List<String> next(String municipalityCode, LocalDate day, int copies) {
        int last = db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO issuance_counter (municipality_code, issue_date, last_value) VALUES (?, ?, ?)
                    ON DUPLICATE KEY UPDATE last_value = last_value + VALUES(last_value)""")) {
                s.setString(1, municipalityCode);
                s.setDate(2, Date.valueOf(day));
                s.setInt(3, copies);
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
        return new IssuanceNumber(municipalityCode, day, last - copies + 1).copies(copies).stream()
                .map(IssuanceNumber::toString).toList();
    }
}
