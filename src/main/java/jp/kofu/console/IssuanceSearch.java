package jp.kofu.console;

import jakarta.inject.Singleton;
import jp.kofu.contract.IssuanceNumber;
import jp.kofu.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the issuance log for the console: always within one municipality, newest first. */
@Singleton
final class IssuanceSearch {
    static final int PAGE_SIZE = 50;
    static final int EXPORT_LIMIT = 100_000;
    private static final String COLUMNS = "id, logged_at, endpoint, result, code, municipality_code, channel, "
            + "store_code, terminal_id, center_transaction_id, caller, card_issuer, card_serial, requester_id, "
            + "printed_ids, certificate_type, scope, options, copies, page_count, fee, issuance_number, pdf_sha256";

    private final Database db;

    IssuanceSearch(Database db) {
        this.db = db;
    }

    record Page(List<LogRow> rows, long total, int page, int pages) {
        public long firstShown() {
            return total == 0 ? 0 : (long) (page - 1) * PAGE_SIZE + 1;
        }

        public long lastShown() {
            return (long) (page - 1) * PAGE_SIZE + rows.size();
        }
    }

    /** An issuance: {@code number} is its first 発行番号; its copies have the numbers that follow. */
    record Issuance(String number, String status, Instant issuedAt, Instant completedAt, String completionReason,
                    String certificateType, int copies, int pageCount, int fee, String pdfSha256) {
        /** Every copy's 発行番号, e.g. "112038-20261122-000042 〜 112038-20261122-000044". */
        public String numbersLabel() {
            return LogRow.numbersLabel(number, copies);
        }

        public String statusLabel() {
            return Labels.STATUSES.getOrDefault(status, status);
        }

        public String issuedOn() {
            return ConsoleDates.longDateTime(issuedAt);
        }

        public String completedOn() {
            return completedAt == null ? "" : ConsoleDates.longDateTime(completedAt);
        }

        public String certificateLabel() {
            return Labels.certificate(certificateType);
        }
    }

    Page search(String municipality, SearchFilters f) {
        Where w = where(municipality, f);
        return db.withConnection(c -> {
            long total;
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM issuance_log WHERE " + w.sql)) {
                w.bind(s);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
            int page = Math.min(f.page(), pages);
            List<LogRow> rows = rows(c, "SELECT " + COLUMNS + " FROM issuance_log WHERE " + w.sql
                    + " ORDER BY id DESC LIMIT " + PAGE_SIZE + " OFFSET " + (long) (page - 1) * PAGE_SIZE, w);
            return new Page(rows, total, page, pages);
        });
    }

    /** Every row of the search, oldest first, for the CSV; empty when there are more than {@link #EXPORT_LIMIT}. */
    Optional<List<LogRow>> export(String municipality, SearchFilters f) {
        Where w = where(municipality, f);
        return db.withConnection(c -> {
            List<LogRow> rows = rows(c, "SELECT " + COLUMNS + " FROM issuance_log WHERE " + w.sql
                    + " ORDER BY id LIMIT " + (EXPORT_LIMIT + 1), w);
            return rows.size() > EXPORT_LIMIT ? Optional.empty() : Optional.of(rows);
        });
    }

    Optional<LogRow> find(String municipality, long id) {
        Where w = new Where("municipality_code = ? AND id = ?", List.of(municipality, id));
        return db.withConnection(c -> rows(c, "SELECT " + COLUMNS + " FROM issuance_log WHERE " + w.sql, w))
                .stream().findFirst();
    }

    /** The other rows of the same transaction or issuance number (the request, its retries, its completion). */
    List<LogRow> related(LogRow row) {
        List<String> clauses = new ArrayList<>();
        List<Object> params = new ArrayList<>(List.of(row.municipalityCode(), row.id()));
        if (row.centerTransactionId() != null) {
            clauses.add("center_transaction_id = ?");
            params.add(row.centerTransactionId());
        }
        if (row.issuanceNumber() != null) {
            clauses.add("issuance_number = ?");
            params.add(row.issuanceNumber());
        }
        if (clauses.isEmpty()) {
            return List.of();
        }
        Where w = new Where("municipality_code = ? AND id <> ? AND (" + String.join(" OR ", clauses) + ")", params);
        return db.withConnection(c -> rows(c, "SELECT " + COLUMNS + " FROM issuance_log WHERE " + w.sql
                + " ORDER BY id LIMIT 50", w));
    }

    /**
     * The issuance a 発行番号 belongs to, if this municipality made it: each copy has its own number, and the copies
     * of one issuance have consecutive numbers from its first ({@link IssuanceNumber}).
     */
    Optional<Issuance> issuance(String municipality, String number) {
        Optional<IssuanceNumber> wanted = IssuanceNumber.parse(number);
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT issuance_number, status, issued_at, completed_at, completion_reason, certificate_type,
                        copies, page_count, fee, pdf_sha256
                    FROM issuance WHERE issuance_number BETWEEN ? AND ? AND municipality_code = ?
                    ORDER BY issuance_number DESC LIMIT 1""")) {
                s.setString(1, wanted.get().lowestFirst().toString());
                s.setString(2, number);
                s.setString(3, municipality);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    IssuanceNumber first = IssuanceNumber.parse(rs.getString(1)).orElseThrow();
                    int copies = rs.getInt(7);
                    if (wanted.get().sequence() - first.sequence() >= copies) {
                        return Optional.empty();
                    }
                    Timestamp completed = rs.getTimestamp(4);
                    return Optional.of(new Issuance(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            completed == null ? null : completed.toInstant(), rs.getString(5), rs.getString(6),
                            copies, rs.getInt(8), rs.getInt(9), rs.getString(10)));
                }
            }
        });
    }

    /**
     * The log row of the request that made the issuance whose first 発行番号 is {@code firstNumber} (the detail
     * page of that issuance), if this municipality made it.
     */
    Optional<Long> requestRow(String municipality, String firstNumber) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT MIN(id) FROM issuance_log WHERE"
                    + " municipality_code = ? AND endpoint = 'ISSUANCE' AND issuance_number = ?")) {
                s.setString(1, municipality);
                s.setString(2, firstNumber);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    long id = rs.getLong(1);
                    return rs.wasNull() ? Optional.<Long>empty() : Optional.of(id);
                }
            }
        });
    }

    /** Counts of today's rows by result, for the home page. */
    java.util.Map<String, Long> countsByResult(String municipality, LocalDate day) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT result, COUNT(*) FROM issuance_log
                    WHERE municipality_code = ? AND logged_at >= ? AND logged_at < ? GROUP BY result""")) {
                s.setString(1, municipality);
                s.setTimestamp(2, startOf(day));
                s.setTimestamp(3, startOf(day.plusDays(1)));
                java.util.Map<String, Long> counts = new java.util.HashMap<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return counts;
            }
        });
    }

    static Timestamp startOf(LocalDate day) {
        return Timestamp.from(day.atStartOfDay(ConsoleDates.TOKYO).toInstant());
    }

    private static Where where(String municipality, SearchFilters f) {
        List<String> clauses = new ArrayList<>(List.of("municipality_code = ?", "logged_at >= ?", "logged_at < ?"));
        List<Object> params = new ArrayList<>(List.of(municipality, startOf(f.from()), startOf(f.to().plusDays(1))));
        if (f.store() != null) {
            clauses.add("store_code LIKE ?");
            params.add(likePrefix(f.store()));
        }
        if (f.terminal() != null) {
            clauses.add("terminal_id LIKE ?");
            params.add(likePrefix(f.terminal()));
        }
        if (f.result() != null) {
            clauses.add("result = ?");
            params.add(f.result());
        }
        if (f.code() != null) {
            clauses.add("code = ?");
            params.add(f.code());
        }
        if (f.certificateType() != null) {
            clauses.add("certificate_type = ?");
            params.add(f.certificateType());
        }
        if (f.issuanceNumber() != null) {
            clauses.add("issuance_number = ?");
            params.add(f.issuanceNumber());
        }
        if (f.residentId() != null) {
            clauses.add("(requester_id = ? OR FIND_IN_SET(?, printed_ids) > 0)");
            params.add(f.residentId());
            params.add(f.residentId());
        }
        return new Where(String.join(" AND ", clauses), params);
    }

    /**
     * A LIKE pattern matching what starts with {@code text} literally: '\', '%' and '_' escaped with MariaDB's
     * default escape character, so that typed text never acts as a wildcard.
     */
    static String likePrefix(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static List<LogRow> rows(Connection c, String sql, Where w) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            w.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                List<LogRow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new LogRow(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                            rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18),
                            integer(rs, 19), integer(rs, 20), integer(rs, 21), rs.getString(22), rs.getString(23)));
                }
                return rows;
            }
        }
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** A WHERE clause of fixed SQL text and its bound values. */
    record Where(String sql, List<Object> params) {
        void bind(PreparedStatement s) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
        }
    }
}
