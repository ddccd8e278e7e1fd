package jp.kofu.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The privileges of the application account, set by the admin account right after Flyway has migrated: on the
 * append-only log tables only INSERT and SELECT, so that no statement of the service (or of anyone holding its
 * password) can change or remove a log row; the DML it needs on every other table. Privileges are granted per table
 * and never per database, because a database-wide UPDATE would reach the log tables too. Run at every start, so that
 * a table added by a later migration gets its privileges with it.
 */
final class Grants {
    /**
     * The append-only tables: the one list to extend when a log table is added. Any table whose name ends in
     * {@code _log} is append-only too, so a new log table is protected even when this list is forgotten.
     */
    static final List<String> APPEND_ONLY = List.of("issuance_log", "log_checkpoint", "log_day_checkpoint",
            "staff_action_log");
    /** Tables the service only reads. */
    static final List<String> READ_ONLY = List.of("flyway_schema_history");

    private static final Set<String> APPEND = Set.of("SELECT", "INSERT");
    private static final Set<String> READ = Set.of("SELECT");
    private static final Set<String> DML = Set.of("SELECT", "INSERT", "UPDATE", "DELETE");

    private Grants() {}

    static boolean isAppendOnly(String table) {
        return APPEND_ONLY.contains(table) || table.endsWith("_log");
    }

    /** What the application account may do on {@code table}. */
    static Set<String> privileges(String table) {
        if (isAppendOnly(table)) {
            return APPEND;
        }
        return READ_ONLY.contains(table) ? READ : DML;
    }

    /**
     * Sets the privileges of the account that {@code app} is connected as (a connection without a default
     * database, since the account may not yet have any privilege on it) on the database {@code admin} is connected to.
     */
    static void apply(Connection admin, Connection app) throws SQLException {
        String schema = single(admin, "SELECT DATABASE()");
        String grantee = grantee(single(app, "SELECT CURRENT_USER()"));
        for (String privilege : strings(app, "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES"
                + " WHERE GRANTEE = ?", grantee)) {
            if (!privilege.equals("USAGE")) {
                throw new IllegalStateException("the database user " + grantee + " holds the global privilege "
                        + privilege + ", so the log tables cannot be made append-only; revoke its global privileges"
                        + " (see deploy/mariadb-grants.sql)");
            }
        }
        for (String granted : new TreeSet<>(strings(app, "SELECT TABLE_SCHEMA FROM information_schema.SCHEMA_PRIVILEGES"
                + " WHERE GRANTEE = ?", grantee))) {
            if (!matches(schema, granted)) {
                continue;
            }
            if (granted.contains("%")) {
                throw new IllegalStateException("the database user " + grantee + " holds privileges on every database"
                        + " named like `" + granted + "`, which reach the log tables; grant per database instead"
                        + " (see deploy/mariadb-grants.sql)");
            }
            // A database-wide grant (the old deploy script's) would let the account change the log: replace it.
            execute(admin, "REVOKE ALL PRIVILEGES ON `" + granted + "`.* FROM " + grantee);
        }
        Map<String, Set<String>> have = new HashMap<>();
        try (PreparedStatement s = app.prepareStatement("SELECT TABLE_NAME, PRIVILEGE_TYPE"
                + " FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = ? AND TABLE_SCHEMA = ?")) {
            s.setString(1, grantee);
            s.setString(2, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    have.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
                }
            }
        }
        for (String table : strings(admin, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", schema)) {
            Set<String> wanted = privileges(table);
            Set<String> held = have.getOrDefault(table, Set.of());
            Set<String> extra = new TreeSet<>(held);
            extra.removeAll(wanted);
            Set<String> missing = new TreeSet<>(wanted);
            missing.removeAll(held);
            String object = "`" + schema + "`.`" + table + "`";
            if (!extra.isEmpty()) {
                execute(admin, "REVOKE " + String.join(", ", extra) + " ON " + object + " FROM " + grantee);
            }
            if (!missing.isEmpty()) {
                execute(admin, "GRANT " + String.join(", ", missing) + " ON " + object + " TO " + grantee);
            }
        }
    }

    /** Whether a schema name of a grant (with MariaDB's {@code _} and {@code %} wildcards) covers {@code schema}. */
    private static boolean matches(String schema, String granted) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < granted.length(); i++) {
            char ch = granted.charAt(i);
            if (ch == '\\' && i + 1 < granted.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(granted.charAt(++i))));
            } else if (ch == '_') {
                regex.append('.');
            } else if (ch == '%') {
                regex.append(".*");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(ch)));
            }
        }
        return schema.matches(regex.toString());
    }

    /** {@code user@host} as CURRENT_USER() gives it → {@code 'user'@'host'} as GRANT and information_schema name it. */
    private static String grantee(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        return "'" + currentUser.substring(0, at).replace("'", "''") + "'@'"
                + currentUser.substring(at + 1).replace("'", "''") + "'";
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Set<String> strings(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            Set<String> out = new LinkedHashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
