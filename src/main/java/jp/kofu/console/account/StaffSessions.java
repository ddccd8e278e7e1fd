package jp.kofu.console.account;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Console sessions, kept in the database so that every node of a cluster knows them. A session ends when its
 * staff member logs out, after {@code kofu.console.idle-timeout-minutes} without a request, after 12 hours in
 * any case, when the account is stopped or its password reset, and (all but the one that made the change) when
 * its holder changes their password or TOTP.
 */
@Singleton
public final class StaffSessions {
    static final Duration MAXIMUM_AGE = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Clock clock;
    private final ConsoleSettings settings;
    private final StaffAccounts accounts;

    public StaffSessions(Database db, Clock clock, ConsoleSettings settings, StaffAccounts accounts) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.accounts = accounts;
    }

    /** What a cookie's token stands for. */
    public sealed interface Lookup {
        record Active(StaffSession session) implements Lookup {}

        /** The session ended for want of use; it is gone now. */
        record Expired(StaffAccount staff) implements Lookup {}

        record Unknown() implements Lookup {}
    }

    /** A new session; answers the token for the cookie (only its hash is stored). */
    public String start(StaffAccount staff, boolean totpPending) {
        String token = random();
        Instant now = clock.instant();
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM staff_session WHERE last_seen_at < ?")) {
                s.setTimestamp(1, Timestamp.from(now.minus(MAXIMUM_AGE)));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO staff_session (token_sha256, staff_id, csrf_token, totp_pending, created_at, last_seen_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                s.setString(1, sha256(token));
                s.setLong(2, staff.id());
                s.setString(3, random());
                s.setBoolean(4, totpPending);
                s.setTimestamp(5, Timestamp.from(now));
                s.setTimestamp(6, Timestamp.from(now));
                s.executeUpdate();
            }
            return null;
        });
        return token;
    }

    /** The session of a cookie's token, marked as used now; an idle or too old one is ended. */
    public Lookup find(String token) {
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            return new Lookup.Unknown();
        }
        String hash = sha256(token);
        Instant now = clock.instant();
        record Row(long staffId, String csrf, boolean totpPending, Instant created, Instant seen) {}
        Optional<Row> row = db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT staff_id, csrf_token, totp_pending, created_at, last_seen_at FROM staff_session
                    WHERE token_sha256 = ?""")) {
                s.setString(1, hash);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(rs.getLong(1), rs.getString(2), rs.getBoolean(3),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant())) : Optional.empty();
                }
            }
        });
        if (row.isEmpty()) {
            return new Lookup.Unknown();
        }
        Optional<StaffAccount> staff = accounts.find(row.get().staffId());
        boolean idle = row.get().seen().plus(settings.idleTimeout()).isBefore(now);
        boolean old = row.get().created().plus(MAXIMUM_AGE).isBefore(now);
        if (staff.isEmpty() || staff.get().disabled() || idle || old) {
            end(hash);
            return staff.<Lookup>map(Lookup.Expired::new).orElseGet(Lookup.Unknown::new);
        }
        db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE staff_session SET last_seen_at = ? WHERE token_sha256 = ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setString(2, hash);
                return s.executeUpdate();
            }
        });
        return new Lookup.Active(new StaffSession(hash, staff.get(), row.get().csrf(), row.get().totpPending(),
                row.get().created()));
    }

    /** The second login step is done. */
    public void totpPassed(StaffSession session) {
        db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE staff_session SET totp_pending = FALSE WHERE token_sha256 = ?")) {
                s.setString(1, session.tokenSha256());
                return s.executeUpdate();
            }
        });
    }

    public void end(StaffSession session) {
        end(session.tokenSha256());
    }

    /** Ends every session of a staff member (stopped account, password reset). */
    public void endAll(long staffId) {
        db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM staff_session WHERE staff_id = ?")) {
                s.setLong(1, staffId);
                return s.executeUpdate();
            }
        });
    }

    /** Ends every other session of the staff member of {@code kept} (their password or TOTP changed). */
    public int endOthers(StaffSession kept) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM staff_session WHERE staff_id = ? AND token_sha256 <> ?")) {
                s.setLong(1, kept.staff().id());
                s.setString(2, kept.tokenSha256());
                return s.executeUpdate();
            }
        });
    }

    private void end(String hash) {
        db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM staff_session WHERE token_sha256 = ?")) {
                s.setString(1, hash);
                return s.executeUpdate();
            }
        });
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
