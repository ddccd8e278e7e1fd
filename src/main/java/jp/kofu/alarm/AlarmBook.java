package jp.kofu.alarm;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.console.account.StaffAccount;
import jp.kofu.console.account.StaffAction;
import jp.kofu.console.account.StaffActionLog;
import jp.kofu.db.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The alarms as a municipality's staff see them: their municipality's rows and the ASP-wide ones (which concern
 * every municipality and name none), never a row of another municipality; and their acknowledgement, written with
 * its row of the staff action log in one transaction.
 */
@Singleton
public final class AlarmBook {
    /** The most rows of history a page shows. */
    public static final int MAX_HISTORY = 200;
    private static final String COLUMNS = "alarm_id, municipality_code, kind, subject, detail, started_at,"
            + " last_seen_at, ended_at, occurrences, acknowledged_at, acknowledged_by, recorded_by";
    /** The rows one municipality's staff may see. */
    private static final String VISIBLE = "(municipality_code = ? OR municipality_code IS NULL)";

    private final Database db;
    private final StaffActionLog actions;
    private final Clock clock;
    private final String node;

    @Inject
    public AlarmBook(Database db, StaffActionLog actions, Clock clock, KofuSettings settings) {
        this.db = db;
        this.actions = actions;
        this.clock = clock;
        this.node = settings.nodeName();
    }

    /** What recording a J-LIS error notice came to. */
    public sealed interface Recording {
        record Recorded(AlarmRow row) implements Recording {}

        /** A notice of the same reference is recorded and not yet acknowledged; nothing written. */
        record Duplicate() implements Recording {}
    }

    /** What the acknowledgement of a row came to. */
    public sealed interface Acknowledgement {
        record Done(AlarmRow row) implements Acknowledgement {}

        /** Acknowledged before (by whom the row says); nothing changed. */
        record Already(AlarmRow row) implements Acknowledgement {}

        /** An ASP-wide row: the ASP's operator handles it; no municipality acknowledges it for the others. */
        record AspWide(AlarmRow row) implements Acknowledgement {}

        /** The staff member recorded the row (a J-LIS notice): another must check it; nothing changed. */
        record SameStaff(AlarmRow row) implements Acknowledgement {}

        /** No such row, or one of another municipality. */
        record NotFound() implements Acknowledgement {}
    }

    /** Open rows first (newest first), visible to the municipality's staff. */
    public List<AlarmRow> open(String municipalityCode) {
        return query("SELECT " + COLUMNS + " FROM alarm WHERE " + VISIBLE + " AND ended_at IS NULL"
                + " ORDER BY started_at DESC, alarm_id DESC", municipalityCode, null, null, null);
    }

    /** The number of open rows the municipality's staff have not acknowledged (their own rows) or may look at. */
    public long openCount(String municipalityCode) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM alarm WHERE " + VISIBLE
                    + " AND ended_at IS NULL AND acknowledged_at IS NULL")) {
                s.setString(1, municipalityCode);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Ended rows that started in [{@code from}, {@code to}), of {@code kind} (null: any), newest first. */
    public List<AlarmRow> history(String municipalityCode, Instant from, Instant to, AlarmKind kind) {
        return query("SELECT " + COLUMNS + " FROM alarm WHERE " + VISIBLE + " AND ended_at IS NOT NULL"
                + " AND started_at >= ? AND started_at < ?" + (kind == null ? "" : " AND kind = ?")
                + " ORDER BY started_at DESC, alarm_id DESC LIMIT " + MAX_HISTORY, municipalityCode, from, to, kind);
    }

    /** A row the municipality's staff may see. */
    public Optional<AlarmRow> find(long id, String municipalityCode) {
        return db.read(c -> find(c, id, municipalityCode, ""));
    }

    /**
     * Acknowledges a row of the staff member's municipality: who and when; an event's row ends with it (a later
     * occurrence opens a new one). Written with its staff action row in one transaction.
     */
    public Acknowledgement acknowledge(long id, StaffAccount staff, String clientAddress) {
        return db.inTransaction(c -> {
            Optional<AlarmRow> row = find(c, id, staff.municipalityCode(), " FOR UPDATE");
            if (row.isEmpty()) {
                return new Acknowledgement.NotFound();
            }
            if (row.get().aspWide()) {
                return new Acknowledgement.AspWide(row.get());
            }
            if (row.get().acknowledgedAt().isPresent()) {
                return new Acknowledgement.Already(row.get());
            }
            if (row.get().recordedBy(staff.login())) {
                actions.write(c, StaffAction.of(staff, StaffAction.Kind.ALARM_ACKNOWLEDGE, StaffAction.Outcome.DENIED,
                        clientAddress).target("alarm " + id).search("kind=" + row.get().kind().name()
                        + " recorded_by=self", null, null));
                return new Acknowledgement.SameStaff(row.get());
            }
            Timestamp now = Timestamp.from(clock.instant());
            boolean ends = row.get().kind().ends() == AlarmKind.Ends.WHEN_ACKNOWLEDGED && row.get().open();
            try (PreparedStatement s = c.prepareStatement("UPDATE alarm SET acknowledged_at = ?, acknowledged_by = ?"
                    + (ends ? ", ended_at = ?, open_key = NULL" : "") + " WHERE alarm_id = ? AND municipality_code = ?")) {
                int i = 1;
                s.setTimestamp(i++, now);
                s.setString(i++, staff.login());
                if (ends) {
                    s.setTimestamp(i++, now);
                }
                s.setLong(i++, id);
                s.setString(i, staff.municipalityCode());
                s.executeUpdate();
            }
            actions.write(c, StaffAction.of(staff, StaffAction.Kind.ALARM_ACKNOWLEDGE, StaffAction.Outcome.OK,
                    clientAddress).target("alarm " + id).search("kind=" + row.get().kind().name(), null, null));
            return new Acknowledgement.Done(find(c, id, staff.municipalityCode(), "").orElseThrow());
        });
    }

    /**
     * Records a J-LIS error notice of the staff member's municipality as an open CENTER_NOTICE row, with its row of
     * the staff action log in one transaction, and logs its {@code ALARM} line (without the note, which is staff's
     * words). The caller has checked that the notice's 発行番号, if any, is an issuance of that municipality.
     */
    public Recording record(CenterNotice notice, StaffAccount staff, String clientAddress) {
        AlarmKind kind = AlarmKind.CENTER_NOTICE;
        String code = staff.municipalityCode();
        Recording done = db.inTransaction(c -> {
            Timestamp now = Timestamp.from(clock.instant());
            java.util.OptionalLong opened = Alarms.open(c, kind, code, notice.subject(), notice.detail(), now, node,
                    staff.login());
            if (opened.isEmpty()) {
                return new Recording.Duplicate();
            }
            long id = opened.getAsLong();
            actions.write(c, StaffAction.of(staff, StaffAction.Kind.CENTER_NOTICE_RECORD, StaffAction.Outcome.OK,
                    clientAddress).target("alarm " + id).search(describe(notice), null, null));
            return new Recording.Recorded(find(c, id, code, "").orElseThrow());
        });
        if (done instanceof Recording.Recorded r) {
            Alarms.log(kind, code, "alarm=" + r.row().id() + " " + describe(notice) + " recorded_by=" + staff.login(),
                    null);
        }
        return done;
    }

    /** The notice for the staff action log and the ALARM line: its fields but the note. */
    private static String describe(CenterNotice n) {
        return "received=" + n.receivedOn() + " reference=" + n.reference()
                + (n.issuanceNumber() == null ? "" : " issuance=" + n.issuanceNumber());
    }

    private List<AlarmRow> query(String sql, String municipalityCode, Instant from, Instant to, AlarmKind kind) {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                s.setString(i++, municipalityCode);
                if (from != null) {
                    s.setTimestamp(i++, Timestamp.from(from));
                    s.setTimestamp(i++, Timestamp.from(to));
                }
                if (kind != null) {
                    s.setString(i, kind.name());
                }
                return rows(s);
            }
        });
    }

    private static Optional<AlarmRow> find(Connection c, long id, String municipalityCode, String lock)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM alarm WHERE alarm_id = ? AND "
                + VISIBLE + lock)) {
            s.setLong(1, id);
            s.setString(2, municipalityCode);
            return rows(s).stream().findFirst();
        }
    }

    private static List<AlarmRow> rows(PreparedStatement s) throws SQLException {
        List<AlarmRow> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Optional<AlarmKind> kind = Alarms.kind(rs.getString(3));
                if (kind.isEmpty()) {
                    continue; // a kind this version does not know (a newer node wrote it)
                }
                rows.add(new AlarmRow(rs.getLong(1), rs.getString(2), kind.get(), rs.getString(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), instant(rs, 8), rs.getInt(9),
                        instant(rs, 10), rs.getString(11), rs.getString(12)));
            }
        }
        return rows;
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
