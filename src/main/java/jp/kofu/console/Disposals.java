package jp.kofu.console;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The 処分情報 of issuances ({@code issuance_disposal_log}, append-only): every query names the municipality, so
 * that staff of one never read nor add to another's.
 */
@Singleton
final class Disposals {
    private static final String COLUMNS = "issuance_number, revision, disposition, disposed_on, reason, note,"
            + " recorded_at, recorded_by";

    private final Database db;

    Disposals(Database db) {
        this.db = db;
    }

    /** Every revision of the issuance's record, oldest first; empty when none was recorded. */
    List<Disposal> history(String municipality, String issuanceNumber) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM issuance_disposal_log"
                    + " WHERE municipality_code = ? AND issuance_number = ? ORDER BY revision")) {
                s.setString(1, municipality);
                s.setString(2, issuanceNumber);
                return read(s);
            }
        });
    }

    /** The current revision of each of these issuances that has a record, by issuance number. */
    Map<String, Disposal> current(String municipality, Collection<String> issuanceNumbers) {
        Map<String, Disposal> current = new HashMap<>();
        if (issuanceNumbers.isEmpty()) {
            return current;
        }
        List<String> numbers = new ArrayList<>(new java.util.TreeSet<>(issuanceNumbers));
        db.withConnection(c -> {
            for (int from = 0; from < numbers.size(); from += 500) {
                List<String> part = numbers.subList(from, Math.min(numbers.size(), from + 500));
                try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM issuance_disposal_log"
                        + " WHERE municipality_code = ? AND issuance_number IN ("
                        + String.join(",", java.util.Collections.nCopies(part.size(), "?")) + ")"
                        + " ORDER BY issuance_number, revision")) {
                    s.setString(1, municipality);
                    for (int i = 0; i < part.size(); i++) {
                        s.setString(i + 2, part.get(i));
                    }
                    read(s).forEach(d -> current.put(d.issuanceNumber(), d)); // the last revision stays
                }
            }
            return null;
        });
        return current;
    }

    /**
     * Adds the next revision on the caller's transaction, if the issuance's record is still at {@code expected}
     * revisions (0: none yet) — as the staff member saw it; false when another was recorded meanwhile.
     */
    boolean add(Connection c, String municipality, int expected, Disposal d) throws SQLException {
        int have;
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(revision), 0) FROM issuance_disposal_log"
                + " WHERE municipality_code = ? AND issuance_number = ?")) {
            s.setString(1, municipality);
            s.setString(2, d.issuanceNumber());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                have = rs.getInt(1);
            }
        }
        if (have != expected || d.revision() != expected + 1) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO issuance_disposal_log (issuance_number,"
                + " revision, municipality_code, disposition, disposed_on, reason, note, recorded_at, recorded_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, d.issuanceNumber());
            s.setInt(2, d.revision());
            s.setString(3, municipality);
            s.setString(4, d.disposition().name());
            s.setObject(5, d.disposedOn());
            s.setString(6, d.reason().name());
            s.setString(7, d.note());
            s.setTimestamp(8, Timestamp.from(d.recordedAt()));
            s.setString(9, d.recordedBy());
            s.executeUpdate();
            return true;
        } catch (SQLIntegrityConstraintViolationException e) {
            return false; // the same revision, committed first by another staff member
        }
    }

    private static List<Disposal> read(PreparedStatement s) throws SQLException {
        List<Disposal> list = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                list.add(new Disposal(rs.getString(1), rs.getInt(2),
                        Disposal.Disposition.parse(rs.getString(3)).orElseThrow(), rs.getObject(4, java.time.LocalDate.class),
                        Disposal.Reason.parse(rs.getString(5)).orElseThrow(), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), rs.getString(8)));
            }
        }
        return list;
    }
}
