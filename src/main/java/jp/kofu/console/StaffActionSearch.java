package jp.kofu.console;

import jakarta.inject.Singleton;
import jp.kofu.console.account.StaffAction;
import jp.kofu.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Reads the staff action log for 監査者: one municipality, newest first, 50 to a page. */
@Singleton
final class StaffActionSearch {
    static final int PAGE_SIZE = 50;

    private final Database db;

    StaffActionSearch(Database db) {
        this.db = db;
    }

    record Row(long id, Instant loggedAt, String staffLogin, String action, String outcome, String target,
               String filters, String residentId, Integer resultCount, String clientAddress) {
        public String when() {
            return ConsoleDates.dateTime(loggedAt);
        }

        public String actionLabel() {
            try {
                return StaffAction.Kind.valueOf(action).label();
            } catch (IllegalArgumentException e) {
                return action;
            }
        }

        public String outcomeLabel() {
            try {
                return StaffAction.Outcome.valueOf(outcome).label();
            } catch (IllegalArgumentException e) {
                return outcome;
            }
        }

        public String tone() {
            return outcome.equals("OK") ? "ok" : outcome.equals("DENIED") ? "bad" : "warn";
        }
    }

    record Page(List<Row> rows, long total, int page, int pages) {}

    Page search(String municipality, LocalDate from, LocalDate to, String login, String action, String residentId,
                int page) {
        List<String> clauses = new ArrayList<>(List.of("municipality_code = ?", "logged_at >= ?", "logged_at < ?"));
        List<Object> params = new ArrayList<>(List.of(municipality, IssuanceSearch.startOf(from),
                IssuanceSearch.startOf(to.plusDays(1))));
        if (login != null) {
            clauses.add("staff_login = ?");
            params.add(login);
        }
        if (action != null) {
            clauses.add("action = ?");
            params.add(action);
        }
        if (residentId != null) {
            clauses.add("resident_id = ?");
            params.add(residentId);
        }
        IssuanceSearch.Where w = new IssuanceSearch.Where(String.join(" AND ", clauses), params);
        return db.withConnection(c -> {
            long total;
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM staff_action_log WHERE " + w.sql())) {
                w.bind(s);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
            int shown = Math.min(Math.max(1, page), pages);
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT id, logged_at, staff_login, action, outcome, target, filters, resident_id, result_count,
                        client_address FROM staff_action_log WHERE """ + " " + w.sql()
                    + " ORDER BY id DESC LIMIT " + PAGE_SIZE + " OFFSET " + (long) (shown - 1) * PAGE_SIZE)) {
                w.bind(s);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int n = rs.getInt(9);
                        Integer count = rs.wasNull() ? null : n;
                        rows.add(new Row(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                count, rs.getString(10)));
                    }
                }
            }
            return new Page(rows, total, shown, pages);
        });
    }
}
