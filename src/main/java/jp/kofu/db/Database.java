package jp.kofu.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jp.kofu.config.KofuSettings;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The replica's and the logs' MariaDB: the embedded default under {@code kofu.data-dir} when {@code kofu.db.url}
 * is unset, otherwise the configured server. The schema is migrated by Flyway at start-up as the admin account
 * (the embedded one, or {@code kofu.db.admin-user}), which then sets the application account's privileges
 * ({@link Grants}); the service's pool runs as the application account ({@code kofu.db.user} on an external server).
 */
@Context
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** MariaDB error numbers worth a second try: deadlock and lock wait timeout. */
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

    private final EmbeddedMariaDb embedded;
    private final HikariDataSource dataSource;

    @Inject
    public Database(KofuSettings settings, List<AfterMigration> afterMigration) {
        String url;
        DbAccount app;
        Optional<DbAccount> admin;
        if (settings.dbUrl().isPresent()) {
            embedded = null;
            url = settings.dbUrl().get();
            app = new DbAccount(settings.dbUser(), settings.dbPassword());
            admin = settings.dbAdminUser().map(user -> new DbAccount(user, settings.dbAdminPassword()));
        } else {
            embedded = EmbeddedMariaDb.start(settings.dataDir().resolve("mariadb"));
            url = embedded.createDatabase("kofu");
            app = embedded.app();
            admin = Optional.of(embedded.admin());
        }
        try {
            migrate(url, admin.orElse(app), admin.isPresent(), afterMigration, app);
            dataSource = pool(url, app, 16);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        LOG.info("Database ready ({}, as {})", embedded == null ? "external" : "embedded", app);
    }

    private Database(HikariDataSource dataSource) {
        this.embedded = null;
        this.dataSource = dataSource;
    }

    /**
     * A small pool on a database that a running service migrates and owns: no migration, no grants (for commands
     * such as {@code verify-log} that only read).
     */
    public static Database connect(String url, DbAccount account) {
        return new Database(pool(url, account, 2));
    }

    private static void migrate(String url, DbAccount migrator, boolean isAdmin, List<AfterMigration> afterMigration,
                                DbAccount app) {
        MigrateResult result = Flyway.configure()
                .dataSource(url, migrator.user(), migrator.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        Set<String> applied = result.migrations.stream().map(m -> m.version).filter(v -> v != null && !v.isEmpty())
                .collect(Collectors.toSet());
        try (Connection c = DriverManager.getConnection(url, migrator.user(), migrator.password())) {
            for (AfterMigration step : afterMigration) {
                step.run(c, applied);
            }
            if (isAdmin) {
                try (Connection appConnection = DriverManager.getConnection(withoutDatabase(url), app.user(),
                        app.password())) {
                    Grants.apply(c, appConnection);
                }
            } else {
                LOG.warn("kofu.db.admin-user is not set: the privileges of {} are the DBA's to set"
                        + " (deploy/mariadb-grants.sql); the log is append-only only if they are", app);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the database could not be prepared: " + e.getMessage(), e);
        }
    }

    /** The same server URL without its default database (and with its parameters). */
    static String withoutDatabase(String url) {
        Matcher m = Pattern.compile("(jdbc:[a-z]+://[^/?]*)(/[^?]*)?(\\?.*)?").matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("unexpected JDBC URL form");
        }
        return m.group(1) + "/" + (m.group(3) == null ? "" : m.group(3));
    }

    private static HikariDataSource pool(String url, DbAccount account, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(account.user());
        config.setPassword(account.password());
        config.setPoolName("kofu");
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(2_000);
        config.setAutoCommit(true);
        config.setInitializationFailTimeout(30_000);
        // Send JDBC batches as one bulk command (snapshots load hundreds of thousands of rows).
        config.addDataSourceProperty("useBulkStmts", "true");
        return new HikariDataSource(config);
    }

    /** Runs work in one transaction; commits when it returns, rolls back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        return inTransaction(work, result -> true);
    }

    /**
     * Runs work in one transaction that its result decides: committed when {@code commit} accepts the result, else
     * rolled back (an expected outcome such as a refusal undoes the work without being an exception); rolled back
     * when it throws.
     */
    public <T> T inTransaction(Work<T> work, java.util.function.Predicate<? super T> commit) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    if (commit.test(result)) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                    return result;
                } catch (Throwable t) {
                    rollbackQuietly(c);
                    throw t;
                }
            } catch (SQLException e) {
                if (isRetryable(e) && attempt < 3) {
                    LOG.info("transaction retried after {} (attempt {})", e.getErrorCode(), attempt);
                    continue;
                }
                if (e instanceof SQLTransientException || isConnectionFailure(e)) {
                    throw new DatabaseUnavailableException(e);
                }
                throw new DatabaseUnavailableException(e);
            }
        }
    }

    /** Runs work on one connection in auto-commit mode. */
    public <T> T withConnection(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
    }

    private static boolean isRetryable(SQLException e) {
        return e.getErrorCode() == ER_LOCK_DEADLOCK || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT;
    }

    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; nothing was committed
        }
    }

    @PreDestroy
    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
