package jp.kofu.console.account;

import jakarta.inject.Singleton;
import jp.kofu.db.Database;
import jp.kofu.municipality.MunicipalityCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Staff accounts ({@code staff_account}): creation, password and TOTP checks with lockout after repeated failures,
 * and the changes a 管理者 makes. Every change is written to the staff action log by the caller. A login id is
 * unique within its municipality only: an account is named by (団体コード, login id). Password checks are throttled
 * ({@link LoginThrottle}) and hashed through the {@link HashGate}, with no database connection held meanwhile: the
 * row is read, the connection given back, the hash compared, and the outcome written in a new short transaction.
 */
@Singleton
public final class StaffAccounts {
    private static final String COLUMNS = "id, municipality_code, login, display_name, role, must_change_password, "
            + "totp_secret IS NOT NULL, failed_logins, locked_until, disabled, created_at, koseki_reviewer, "
            + "asp_admin";

    private final Database db;
    private final Clock clock;
    private final ConsoleSettings settings;
    private final LoginThrottle throttle;
    private final HashGate gate;
    private final TotpSecrets totpSecrets;

    public StaffAccounts(Database db, Clock clock, ConsoleSettings settings, LoginThrottle throttle, HashGate gate,
                         TotpSecrets totpSecrets) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.throttle = throttle;
        this.gate = gate;
        this.totpSecrets = totpSecrets;
    }

    /** Whether {@code login} is a well-formed login id: 3–64 of a–z, 0–9, '.', '_', '-'. */
    public static boolean isValidLogin(String login) {
        return login != null && login.matches("[a-z0-9][a-z0-9._-]{2,63}");
    }

    /** Adds an account; {@code mustChangePassword} makes its holder choose a password at the first login. */
    public StaffAccount add(String municipalityCode, String login, String displayName, StaffRole role, String password,
                            boolean mustChangePassword) {
        if (!MunicipalityCode.isValid(municipalityCode)) {
            throw new StaffAccountException("団体コードが正しくありません（6桁の全国地方公共団体コード）。");
        }
        if (!isValidLogin(login)) {
            throw new StaffAccountException("ログインIDは英小文字・数字・「.」「_」「-」の3〜64文字にしてください。");
        }
        String name = displayName == null ? "" : displayName.strip();
        if (name.isEmpty() || name.length() > 100) {
            throw new StaffAccountException("氏名を100文字以内で入力してください。");
        }
        Passwords.problem(password, login).ifPresent(p -> {
            throw new StaffAccountException(p);
        });
        String hash = Passwords.hash(password);
        try {
            long id = db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO staff_account (municipality_code, login, display_name, role, password_hash,
                            must_change_password, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                        PreparedStatement.RETURN_GENERATED_KEYS)) {
                    s.setString(1, municipalityCode);
                    s.setString(2, login);
                    s.setString(3, name);
                    s.setString(4, role.name());
                    s.setString(5, hash);
                    s.setBoolean(6, mustChangePassword);
                    s.setTimestamp(7, Timestamp.from(clock.instant()));
                    s.executeUpdate();
                    try (ResultSet keys = s.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            });
            return find(id).orElseThrow();
        } catch (jp.kofu.db.DatabaseUnavailableException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                throw new StaffAccountException("ログインID「" + login + "」は既に使われています。");
            }
            throw e;
        }
    }

    public Optional<StaffAccount> find(long id) {
        return db.withConnection(c -> one(c, "id = ?", id));
    }

    /** The account of {@code login} in {@code municipalityCode}; a login id names nobody of another municipality. */
    public Optional<StaffAccount> find(String municipalityCode, String login) {
        return db.withConnection(c -> one(c, "municipality_code = ? AND login = ?", municipalityCode, login));
    }

    /** The accounts of a municipality, by login id. */
    public List<StaffAccount> list(String municipalityCode) {
        return db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM staff_account WHERE municipality_code = ? ORDER BY login")) {
                s.setString(1, municipalityCode);
                try (ResultSet rs = s.executeQuery()) {
                    List<StaffAccount> all = new ArrayList<>();
                    while (rs.next()) {
                        all.add(read(rs));
                    }
                    return all;
                }
            }
        });
    }

    /**
     * Checks a password of the account {@code login} of {@code municipalityCode}; counts failures and locks the
     * account after {@code kofu.console.lockout-failures}. Attempts naming one municipality never read or change an
     * account of another. Throttled per client address and per (municipality, login id), known or not.
     */
    public LoginOutcome checkPassword(String municipalityCode, String login, String password, String clientAddress) {
        String municipality = municipalityCode == null ? "" : municipalityCode;
        String id = login == null ? "" : login;
        if (!throttle.tryAttempt(clientAddress, LoginThrottle.loginKey(municipality, id))) {
            return new LoginOutcome.Throttled();
        }
        record Found(StaffAccount staff, String hash) {}
        Optional<Found> found = MunicipalityCode.isValid(municipality) && isValidLogin(id)
                ? db.withConnection(c -> {
                    Optional<StaffAccount> staff = one(c, "municipality_code = ? AND login = ?", municipality, id);
                    return staff.isEmpty() ? Optional.<Found>empty()
                            : Optional.of(new Found(staff.get(), passwordHashOf(c, staff.get().id())));
                })
                : Optional.empty();
        // No connection is held from here to the write below: the hash takes tens of milliseconds of a core.
        HashGate.Check check = gate.check(password, found.map(Found::hash).orElse(null));
        if (check == HashGate.Check.BUSY) {
            return new LoginOutcome.Busy();
        }
        if (found.isEmpty()) {
            return new LoginOutcome.WrongCredentials(null, false);
        }
        Instant now = clock.instant();
        long staffId = found.get().staff().id();
        return db.inTransaction(c -> {
            StaffAccount staff = one(c, "id = ? FOR UPDATE", staffId).orElseThrow();
            if (staff.disabled()) {
                return new LoginOutcome.Disabled(staff, check == HashGate.Check.RIGHT);
            }
            if (staff.lockedAt(now)) {
                return new LoginOutcome.Locked(staff, check == HashGate.Check.RIGHT);
            }
            if (!passwordHashOf(c, staffId).equals(found.get().hash())) {
                // The password was changed while this attempt was being hashed: it was checked against the old one.
                return new LoginOutcome.WrongCredentials(staff, false);
            }
            if (check == HashGate.Check.WRONG) {
                return new LoginOutcome.WrongCredentials(staff, recordFailure(c, staff, now));
            }
            if (!staff.totpEnabled()) {
                clearFailures(c, staff.id());
            }
            return new LoginOutcome.Accepted(staff, staff.totpEnabled());
        });
    }

    /**
     * Checks the TOTP code of the second login step: a wrong code is a failure that counts toward the lockout like
     * a wrong password. Throttled like a password.
     */
    public LoginOutcome checkTotp(long staffId, String code, String clientAddress) {
        StaffAccount known = find(staffId).orElseThrow();
        if (!throttle.tryAttempt(clientAddress, LoginThrottle.loginKey(known.municipalityCode(), known.login()))) {
            return new LoginOutcome.Throttled();
        }
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            StaffAccount staff = one(c, "id = ? FOR UPDATE", staffId).orElseThrow();
            if (staff.disabled()) {
                return new LoginOutcome.Disabled(staff, true);
            }
            if (staff.lockedAt(now)) {
                return new LoginOutcome.Locked(staff, true);
            }
            String secret;
            Long lastStep;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT totp_secret, totp_last_step FROM staff_account WHERE id = ?")) {
                s.setLong(1, staffId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    secret = rs.getString(1) == null ? null : totpSecrets.open(staffId, rs.getString(1));
                    long step = rs.getLong(2);
                    lastStep = rs.wasNull() ? null : step;
                }
            }
            OptionalLong step = secret == null ? OptionalLong.empty() : Totp.acceptedStep(secret, code, now, lastStep);
            if (step.isEmpty()) {
                return new LoginOutcome.WrongCredentials(staff, recordFailure(c, staff, now));
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE staff_account SET totp_last_step = ?, failed_logins = 0, locked_until = NULL WHERE id = ?")) {
                s.setLong(1, step.getAsLong());
                s.setLong(2, staffId);
                s.executeUpdate();
            }
            return new LoginOutcome.Accepted(staff, false);
        });
    }

    /** Turns TOTP on once the staff member typed a right code of the new secret; false when the code is wrong. */
    public boolean enableTotp(long staffId, String secret, String code) {
        OptionalLong step = Totp.acceptedStep(secret, code, clock.instant(), null);
        if (step.isEmpty()) {
            return false;
        }
        update(staffId, "totp_secret = ?, totp_last_step = ?", totpSecrets.seal(staffId, secret), step.getAsLong());
        return true;
    }

    public void disableTotp(long staffId) {
        update(staffId, "totp_secret = NULL, totp_last_step = NULL");
    }

    /** Sets a password the staff member chose (their current one checked by the caller). */
    public void changePassword(StaffAccount staff, String newPassword) {
        Passwords.problem(newPassword, staff.login()).ifPresent(p -> {
            throw new StaffAccountException(p);
        });
        update(staff.id(), "password_hash = ?, must_change_password = FALSE", Passwords.hash(newPassword));
    }

    /**
     * Checks the current password that a signed-in staff member typed again to change their password or TOTP:
     * throttled and hashed like a login ({@code Accepted}, {@code WrongCredentials}, {@code Throttled} or
     * {@code Busy}); a wrong one is not counted toward the lockout (the session is already signed in).
     */
    public LoginOutcome checkCurrentPassword(StaffAccount staff, String password, String clientAddress) {
        if (!throttle.tryAttempt(clientAddress, LoginThrottle.loginKey(staff.municipalityCode(), staff.login()))) {
            return new LoginOutcome.Throttled();
        }
        String hash = db.withConnection(c -> passwordHashOf(c, staff.id()));
        return switch (gate.check(password, hash)) {
            case RIGHT -> new LoginOutcome.Accepted(staff, false);
            case WRONG -> new LoginOutcome.WrongCredentials(staff, false);
            case BUSY -> new LoginOutcome.Busy();
        };
    }

    /** A new random password that must be changed at the next login; unlocks the account. Answers the password. */
    public String resetPassword(long staffId) {
        String password = Passwords.generate();
        update(staffId, "password_hash = ?, must_change_password = TRUE, failed_logins = 0, locked_until = NULL",
                Passwords.hash(password));
        return password;
    }

    public void unlock(long staffId) {
        update(staffId, "failed_logins = 0, locked_until = NULL");
    }

    public void setDisabled(long staffId, boolean disabled) {
        update(staffId, "disabled = ?", disabled);
    }

    /** Grants or withdraws the 戸籍 review permission (本籍地 利用登録申請), independent of the role. */
    public void setKosekiReviewer(long staffId, boolean reviewer) {
        update(staffId, "koseki_reviewer = ?", reviewer);
    }

    /** Grants or withdraws the ASP 管理者 permission: only the {@code staff} command on the server calls this. */
    public void setAspAdmin(long staffId, boolean aspAdmin) {
        update(staffId, "asp_admin = ?", aspAdmin);
    }

    private boolean recordFailure(Connection c, StaffAccount staff, Instant now) throws SQLException {
        int failures = staff.failedLogins() + 1;
        boolean lock = failures >= settings.lockoutFailures();
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE staff_account SET failed_logins = ?, locked_until = ? WHERE id = ?")) {
            s.setInt(1, lock ? 0 : failures);
            s.setTimestamp(2, lock ? Timestamp.from(now.plus(settings.lockoutDuration())) : null);
            s.setLong(3, staff.id());
            s.executeUpdate();
        }
        return lock;
    }

    private static void clearFailures(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE staff_account SET failed_logins = 0, locked_until = NULL WHERE id = ?")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
    }

    private void update(long id, String assignments, Object... values) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE staff_account SET " + assignments + " WHERE id = ?")) {
                int i = 1;
                for (Object v : values) {
                    s.setObject(i++, v);
                }
                s.setLong(i, id);
                if (s.executeUpdate() != 1) {
                    throw new StaffAccountException("その職員アカウントはありません。");
                }
            }
            return null;
        });
    }

    private static String passwordHashOf(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT password_hash FROM staff_account WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static Optional<StaffAccount> one(Connection c, String where, Object... keys) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM staff_account WHERE " + where)) {
            for (int i = 0; i < keys.length; i++) {
                s.setObject(i + 1, keys[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static StaffAccount read(ResultSet rs) throws SQLException {
        Timestamp locked = rs.getTimestamp(9);
        return new StaffAccount(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                StaffRole.valueOf(rs.getString(5)), rs.getBoolean(6), rs.getBoolean(7), rs.getInt(8),
                locked == null ? null : locked.toInstant(), rs.getBoolean(10), rs.getTimestamp(11).toInstant(),
                rs.getBoolean(12), rs.getBoolean(13));
    }
}
