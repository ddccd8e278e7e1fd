package jp.kofu.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jp.kofu.config.KofuSettings;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/**
 * The replica's and the logs' MariaDB: the embedded default under {@code kofu.data-dir} when {@code kofu.db.url}
 * is unset, otherwise the configured server. The schema is migrated by Flyway at start-up.
 */
@Context
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** MariaDB error numbers worth a second try: deadlock and lock wait timeout. */
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

    private final EmbeddedMariaDb embedded;
    private final HikariDataSource dataSource;

    public Database(KofuSettings settings) {
        String url;
        String user;
        String password;
        if (settings.dbUrl().isPresent()) {
            embedded = null;
            url = settings.dbUrl().get();
            user = settings.dbUser();
            password = settings.dbPassword();
        } else {
            embedded = EmbeddedMariaDb.start(settings.dataDir().resolve("mariadb"));
            url = embedded.createDatabase("kofu");
            user = "root";
            password = "";
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("kofu");
        config.setMaximumPoolSize(16);
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(2_000);
        config.setAutoCommit(true);
        config.setInitializationFailTimeout(30_000);
        // Send JDBC batches as one bulk command (snapshots load hundreds of thousands of rows).
        config.addDataSourceProperty("useBulkStmts", "true");
        dataSource = new HikariDataSource(config);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info("Database ready ({})", embedded == null ? "external" : "embedded");
    }

    /** Runs work in one transaction; commits when it returns, rolls back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
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
