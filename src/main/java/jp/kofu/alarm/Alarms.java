package jp.kofu.alarm;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.contract.Sha256;
import jp.kofu.db.Database;
import jp.kofu.db.DatabaseUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where an alarm is raised: it writes the row of table {@code alarm} (V12, seen on the console's
 * 障害・アラーム page) and emits the {@code ALARM …} line of the operations log, so the two never disagree.
 *
 * <p>A condition ({@link AlarmKind.Ends#WHEN_CLEARED}) is {@link #raise raised} while it holds — every node of the
 * database may raise it, each tick, and there stays one open row per (municipality, kind, subject) — and
 * {@link #clear cleared} when it is gone. An event ({@link #occurred}) adds to the count of the open row of its kind
 * and subject, or opens one; its row ends when a staff member acknowledges it. Nothing here throws for a database
 * that cannot be reached: the line is logged and the row is left unwritten (a database outage is itself an alarm
 * of the log only).
 *
 * <p>Subjects and details hold no personal data: ids (a center transaction id, a 戸籍 request id), certificate
 * serials, CA names, times and exception class names only.
 */
@Singleton
public final class Alarms {
    private static final Logger LOG = LoggerFactory.getLogger(Alarms.class);
    /** The scope of an ASP-wide row in its open key (municipality codes are six digits). */
    private static final String ASP = "ASP";

    private final Database db;
    private final Clock clock;
    private final String node;

    @Inject
    public Alarms(Database db, Clock clock, KofuSettings settings) {
        this(db, clock, settings.nodeName());
    }

    private Alarms(Database db, Clock clock, String node) {
        this.db = db;
        this.clock = clock;
        this.node = node;
    }

    /** Alarms that are log lines only, for commands and tests that run without the service's database. */
    public static Alarms logOnly(Clock clock) {
        return new Alarms(null, clock, "-");
    }

    /**
     * {@code subject} as seen from this node, for a condition that belongs to one node (its CRL folder, its way to
     * the time-stamp authority, its 戸籍 circuit breaker): each node raises and ends its own row.
     */
    public String onThisNode(String subject) {
        String suffix = "（ノード " + node + "）";
        return cut(subject, Math.max(0, 128 - suffix.length())) + suffix;
    }

    /** Whether {@code subject} was made by {@link #onThisNode} of this node. */
    public boolean isOnThisNode(String subject) {
        return subject.endsWith("（ノード " + node + "）");
    }

    /**
     * Ends the open rows of {@code kinds} that no node has seen since {@code before}: the conditions of a node that
     * is gone (its name changed, or it was taken out of the cluster), which no one else would ever end.
     */
    public int endStale(java.util.Collection<AlarmKind> kinds, java.time.Instant before) {
        if (db == null || kinds.isEmpty()) {
            return 0;
        }
        String in = String.join(",", java.util.Collections.nCopies(kinds.size(), "?"));
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE alarm SET ended_at = ?, open_key = NULL"
                    + " WHERE open_key IS NOT NULL AND last_seen_at < ? AND kind IN (" + in + ")")) {
                s.setTimestamp(1, Timestamp.from(clock.instant()));
                s.setTimestamp(2, Timestamp.from(before));
                int i = 3;
                for (AlarmKind k : kinds) {
                    s.setString(i++, k.name());
                }
                return s.executeUpdate();
            }
        });
    }

    /** An open row as the watcher needs it: which condition is open now. */
    public record Open(AlarmKind kind, String municipalityCode, String subject) {}

    /**
     * The condition holds: opens its row (and logs the ALARM line) when none is open, else marks it seen again.
     *
     * @param municipalityCode the municipality concerned; null for an ASP-wide condition
     * @param detail           the condition in words; null keeps the open row's (a touch only)
     */
    public void raise(AlarmKind kind, String municipalityCode, String subject, String detail) {
        if (write(kind, municipalityCode, subject, detail, 0) || db == null) {
            log(kind, municipalityCode, "subject=" + subject + " " + detail, null);
        }
    }

    /** One more occurrence (logged each time): counted in the open row of kind, municipality and subject. */
    public void occurred(AlarmKind kind, String municipalityCode, String subject, String detail, Throwable cause) {
        log(kind, municipalityCode, detail, cause);
        write(kind, municipalityCode, subject, detail, 1);
    }

    /** The condition is gone: ends its open row, if there is one (and says so in the log). */
    public void clear(AlarmKind kind, String municipalityCode, String subject) {
        if (db == null) {
            return;
        }
        try {
            int ended = db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE alarm SET ended_at = ?, open_key = NULL WHERE open_key = ?")) {
                    s.setTimestamp(1, Timestamp.from(clock.instant()));
                    s.setString(2, openKey(kind, municipalityCode, subject));
                    return s.executeUpdate();
                }
            });
            if (ended > 0) {
                LoggerFactory.getLogger(kind.logger()).info("alarm ended: {} municipality={} subject={}", kind.name(),
                        scope(municipalityCode), subject);
            }
        } catch (DatabaseUnavailableException e) {
            LOG.warn("alarm {} not ended: database unavailable", kind.name());
        }
    }

    /** Every open row, of every municipality (the watcher's view; never shown to staff as it is). */
    public List<Open> open() {
        if (db == null) {
            return List.of();
        }
        return db.read(c -> {
            List<Open> open = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT kind, municipality_code, subject FROM alarm WHERE open_key IS NOT NULL");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    java.util.Optional<AlarmKind> k = kind(rs.getString(1));
                    if (k.isPresent()) {
                        open.add(new Open(k.get(), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return open;
        });
    }

    /** Writes the row: insert it as open, or — when one is open already — touch it and add {@code count}. */
    private boolean write(AlarmKind kind, String municipalityCode, String subject, String detail, int count) {
        if (kind.aspWide() != (municipalityCode == null)) {
            // an ASP-wide row is shown to every municipality: one of a municipality must never become one
            throw new IllegalArgumentException(kind + (kind.aspWide() ? " is ASP-wide" : " needs a municipality"));
        }
        if (db == null) {
            return false;
        }
        String key = openKey(kind, municipalityCode, subject);
        Timestamp now = Timestamp.from(clock.instant());
        try {
            return db.inTransaction(c -> insertOrTouch(c, key, kind, municipalityCode, subject, detail, count, now));
        } catch (DatabaseUnavailableException e) {
            LOG.warn("alarm {} not written: database unavailable", kind.name());
            return false;
        }
    }

    private boolean insertOrTouch(Connection c, String key, AlarmKind kind, String municipalityCode, String subject,
                                  String detail, int count, Timestamp now) throws SQLException {
        if (open(c, kind, municipalityCode, subject, detail, now, node, null).isPresent()) {
            return true;
        }
        try (PreparedStatement s = c.prepareStatement("""
                UPDATE alarm SET last_seen_at = GREATEST(last_seen_at, ?), detail = COALESCE(?, detail),
                    occurrences = occurrences + ?
                WHERE open_key = ?""")) {
            s.setTimestamp(1, now);
            s.setString(2, detail == null ? null : cut(detail, 512));
            s.setInt(3, count);
            s.setString(4, key);
            s.executeUpdate();
        }
        return false;
    }

    /**
     * Opens a row of {@code kind} for the scope and subject unless one is open already (its {@code open_key} is
     * unique): the new row's id, or empty when one was open. {@code recordedBy} is the staff login of a row a staff
     * member recorded (a J-LIS notice), else null.
     */
    static java.util.OptionalLong open(Connection c, AlarmKind kind, String municipalityCode, String subject,
                                       String detail, Timestamp now, String node, String recordedBy)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT IGNORE INTO alarm (municipality_code, kind, subject, detail, open_key, started_at,
                    last_seen_at, occurrences, raised_by, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)""", java.sql.Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, municipalityCode);
            s.setString(2, kind.name());
            s.setString(3, cut(subject, 128));
            s.setString(4, cut(detail, 512));
            s.setString(5, openKey(kind, municipalityCode, subject));
            s.setTimestamp(6, now);
            s.setTimestamp(7, now);
            s.setString(8, cut(node, 64));
            s.setString(9, recordedBy);
            if (s.executeUpdate() != 1) {
                return java.util.OptionalLong.empty();
            }
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return java.util.OptionalLong.of(keys.getLong(1));
            }
        }
    }

    static void log(AlarmKind kind, String municipalityCode, String detail, Throwable cause) {
        String line = "ALARM " + kind.words() + ": municipality=" + scope(municipalityCode) + " " + detail;
        if (cause == null) {
            LoggerFactory.getLogger(kind.logger()).error(line);
        } else {
            LoggerFactory.getLogger(kind.logger()).error(line, cause);
        }
    }

    /** The unique key of the open row: one per scope, kind and subject, whatever the node. */
    static String openKey(AlarmKind kind, String municipalityCode, String subject) {
        return Sha256.hex(scope(municipalityCode) + "\n" + kind.name() + "\n" + cut(subject, 128));
    }

    private static String scope(String municipalityCode) {
        return municipalityCode == null ? ASP : municipalityCode;
    }

    static java.util.Optional<AlarmKind> kind(String name) {
        try {
            return java.util.Optional.of(AlarmKind.valueOf(name));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty(); // a kind of a newer version, on a shared database
        }
    }

    static String cut(String value, int max) {
        String v = value == null ? "" : value;
        return v.length() <= max ? v : v.substring(0, max);
    }
}
