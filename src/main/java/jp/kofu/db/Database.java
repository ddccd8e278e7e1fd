package jp.kofu.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The replica's and the logs' MariaDB: the embedded default under {@code kofu.data-dir} when {@code kofu.db.url}
 * is unset, otherwise the configured server. The schema is migrated by Flyway at start-up as the admin account
 * (the embedded one, or {@code kofu.db.admin-user}), which then sets the application account's privileges
 * ({@link Grants}); the service's pool runs as the application account ({@code kofu.db.user} on an external server).
 *
 * <p>{@code kofu.db.url} may be any URL form of MariaDB Connector/J, several hosts and failover included
 * ({@link JdbcUrl}). On a Galera node ({@code wsrep_on=ON}, looked up once at start) every pooled connection runs with
 * {@code wsrep_sync_wait=1}, so that each read waits until the node has applied every write set the cluster committed
 * before it: after a sync batch's {@code 200} on one node, an issuance on any node sees the batch (docs/replica.md).
 * On a MariaDB without Galera nothing is set.
 */
@Context
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** What every pooled connection of a Galera node runs first: reads wait for the cluster's earlier commits. */
    static final String CAUSAL_READS = "SET SESSION wsrep_sync_wait = 1";

    private final EmbeddedMariaDb embedded;
    private final HikariDataSource dataSource;
    private final boolean galera;
    private final TransactionRetry retry;

    /** Without a meter registry (retries are counted in one of its own, which nothing exports). */
    public Database(KofuSettings settings, List<AfterMigration> afterMigration) {
        this(settings, afterMigration, new SimpleMeterRegistry());
    }

    @Inject
    public Database(KofuSettings settings, List<AfterMigration> afterMigration, MeterRegistry meters) {
        this.retry = new TransactionRetry(meters);
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
        JdbcUrl parsed = JdbcUrl.parse(url);
        try {
            galera = migrate(parsed, admin.orElse(app), admin.isPresent(), afterMigration, app);
            dataSource = pool(url, app, 16, galera, meters);
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        if (galera && parsed.setsSessionVariables()) {
            LOG.warn("kofu.db.url sets sessionVariables: add wsrep_sync_wait=1 to them, or a failover inside the"
                    + " driver loses causal reads until the pool renews the connection");
        }
        LOG.info("Database ready ({}, {}{}, as {})", embedded == null ? "external" : "embedded", parsed.summary(),
                galera ? ", Galera node: causal reads" : "", app);
    }

    private Database(HikariDataSource dataSource, boolean galera, MeterRegistry meters) {
        this.embedded = null;
        this.dataSource = dataSource;
        this.galera = galera;
        this.retry = new TransactionRetry(meters);
    }

    /**
     * A small pool on a database that a running service migrates and owns: no migration, no grants (for commands
     * such as {@code verify-log} that only read). Retries are counted in a registry of its own.
     */
    public static Database connect(String url, DbAccount account) {
        return connect(url, account, new SimpleMeterRegistry());
    }

    /** {@link #connect(String, DbAccount)}, counting retries in {@code meters}. */
    static Database connect(String url, DbAccount account, MeterRegistry meters) {
        JdbcUrl parsed = JdbcUrl.parse(url);
        boolean galera;
        try (Connection c = DriverManager.getConnection(parsed.url(), account.user(), account.password())) {
            galera = isGaleraNode(c);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
        return new Database(pool(parsed.url(), account, 2, galera, meters), galera, meters);
    }

    /** Whether the server is a node of a Galera cluster: {@code wsrep_on} is {@code ON}. */
    static boolean isGaleraNode(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE 'wsrep_on'")) {
            return rs.next() && "ON".equalsIgnoreCase(rs.getString(2));
        }
    }

    /** Whether the server was a Galera node at start, so that every pooled connection has causal reads. */
    public boolean galera() {
        return galera;
    }

    /** @return whether the server is a Galera node */
    private static boolean migrate(JdbcUrl jdbcUrl, DbAccount migrator, boolean isAdmin,
                                   List<AfterMigration> afterMigration, DbAccount app) {
        String url = jdbcUrl.url();
        MigrateResult result = Flyway.configure()
                .dataSource(url, migrator.user(), migrator.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        Set<String> applied = result.migrations.stream().map(m -> m.version).filter(v -> v != null && !v.isEmpty())
                .collect(Collectors.toSet());
        try (Connection c = DriverManager.getConnection(url, migrator.user(), migrator.password())) {
            boolean galera = isGaleraNode(c);
            for (AfterMigration step : afterMigration) {
                step.run(c, applied);
            }
            if (isAdmin) {
                try (Connection appConnection = DriverManager.getConnection(jdbcUrl.withoutDatabase(), app.user(),
                        app.password())) {
                    Grants.apply(c, appConnection);
                }
            } else {
                LOG.warn("kofu.db.admin-user is not set: the privileges of {} are the DBA's to set"
                        + " (deploy/mariadb-grants.sql); the log is append-only only if they are", app);
            }
            return galera;
        } catch (SQLException e) {
            throw new IllegalStateException("the database could not be prepared: " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(String url, DbAccount account, int size, boolean galera,
                                         MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        // HikariCP's own Micrometer tracker: hikaricp_connections_{active,idle,pending,…}{pool="kofu"} on /metrics.
        config.setMetricRegistry(meters);
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
        // Prepared on the server once per connection (the driver keeps 250 per connection) and run in the binary
        // protocol: the server does not parse each statement again, and a kept answer (a whole PDF) goes as its bytes,
        // not as an escaped literal the driver writes and the server reads back (issue 17, bench/README.md).
        config.addDataSourceProperty("useServerPrepStmts", "true");
        if (galera) {
            // The driver sets it on every connection it opens, also when a failover URL reconnects to another node
            // under a pooled connection; the init SQL covers a URL with sessionVariables of its own, which win.
            config.addDataSourceProperty("sessionVariables", "wsrep_sync_wait=1");
            config.setConnectionInitSql(CAUSAL_READS);
        }
        return new HikariDataSource(config);
    }

    /**
     * Runs work in one transaction; commits when it returns, rolls back when it throws.
     *
     * @see #inTransaction(Work, java.util.function.Predicate)
     */
    public <T> T inTransaction(Work<T> work) {
        return inTransaction(work, result -> true);
    }

    /**
     * Runs work in one transaction that its result decides: committed when {@code commit} accepts the result, else
     * rolled back (an expected outcome such as a refusal undoes the work without being an exception); rolled back
     * when it throws.
     *
     * <p>A transaction that fails with a conflict (a deadlock, a lock wait timeout, on Galera a certification
     * conflict at commit) is rolled back and run again, at most {@value TransactionRetry#MAX_ATTEMPTS} times in all;
     * one whose database node is going away (its connection lost before the commit — the retry gets a connection of
     * the failover URL's next host —, on Galera no connection or a node outside the primary component) for up to
     * 12 s, while the cluster reforms; each after a jittered pause that grows with each attempt
     * ({@link TransactionRetry}), each retry counted in {@code kofu_db_transaction_retries_total{reason}}. So
     * {@code work} and {@code commit} may run more than once: they must have no effect outside the connection (no
     * HTTP call, no file, no state of a bean, no signature with a counter), and should be cheap — do slow work
     * (rendering, signing) before or after. A failure that is not worth a retry, or the last failed attempt, is a
     * {@link DatabaseUnavailableException}.
     */
    public <T> T inTransaction(Work<T> work, java.util.function.Predicate<? super T> commit) {
        return run(work, commit, false);
    }

    /**
     * {@link #inTransaction(Work, java.util.function.Predicate)} for work that is safe to run again after its commit
     * did happen: its first write claims a unique key, and a second run finds it taken and writes nothing. Such a
     * transaction is also run again when the connection breaks at the commit (the outcome unknown: a database node
     * died), so that the caller learns the outcome instead of a 503.
     */
    public <T> T inIdempotentTransaction(Work<T> work, java.util.function.Predicate<? super T> commit) {
        return run(work, commit, true);
    }

    private <T> T run(Work<T> work, java.util.function.Predicate<? super T> commit, boolean idempotent) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            TransactionRetry.Stage stage = TransactionRetry.Stage.CONNECTING;
            try (Connection c = dataSource.getConnection()) {
                stage = TransactionRetry.Stage.WORKING;
                begin(c);
                try {
                    T result = work.run(c);
                    if (commit.test(result)) {
                        stage = TransactionRetry.Stage.COMMITTING;
                        c.commit();
                    } else {
                        // A rollback lost with its connection still committed nothing: as if the work had failed.
                        c.rollback();
                    }
                    return result;
                } catch (Throwable t) {
                    rollbackQuietly(c);
                    throw t;
                }
            } catch (SQLException e) {
                Optional<TransactionRetry.Reason> reason = TransactionRetry.reason(e, stage, galera, idempotent);
                if (again(reason, e, attempt, started)) {
                    continue;
                }
                if (reason.isPresent()) {
                    LOG.warn("transaction failed after {} attempts in {} ms, the last one with {}", attempt,
                            millisSince(started), reason.get().tag());
                } else if (TransactionRetry.isNodeNotReady(e)) {
                    LOG.warn("the database node is not ready for use (Galera not synced or not primary)");
                }
                throw new DatabaseUnavailableException(e);
            }
        }
    }

    /**
     * Whether a run that failed for {@code reason} (empty: not worth another) on attempt {@code attempt}, of work
     * begun at {@code started}, runs again; if so the retry is counted, the pool's connections are renewed after a
     * lost one (those to the same server are most likely dead too), and the backoff is slept.
     */
    private boolean again(Optional<TransactionRetry.Reason> reason, SQLException e, int attempt, long started) {
        if (reason.isEmpty() || !TransactionRetry.runsAgain(reason.get(), attempt, millisSince(started))) {
            return false;
        }
        retry.count(reason.get());
        if (reason.get() == TransactionRetry.Reason.CONNECTION_LOST) {
            dataSource.getHikariPoolMXBean().softEvictConnections();
        }
        LOG.debug("run again after {} ({}, attempt {})", reason.get().tag(), e.getErrorCode(), attempt);
        pause(TransactionRetry.backoffMillis(reason.get(), attempt), e);
        return true;
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static void pause(long millis, SQLException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException(cause);
        }
    }

    /**
     * Whether the database answers now: a pooled connection within the pool's connection timeout (3 s), valid within
     * {@code timeoutSeconds}. Asked once, never run again (the readiness check of docs/operations.md).
     */
    public boolean answers(int timeoutSeconds) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(timeoutSeconds);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Runs work on one connection in auto-commit mode. */
    public <T> T withConnection(Work<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
    }

    /**
     * Runs work that only reads, on one connection in auto-commit mode; when the connection is lost under it (a
     * database node died, or the failover URL's driver reconnected to another host), it runs again on a renewed
     * one, within the same 12 s as a transaction: nothing it did can need undoing.
     */
    public <T> T read(Work<T> work) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connection()) {
                return work.run(c);
            } catch (SQLException e) {
                // A read conflicts with nothing: only a node going away is worth another run.
                if (!again(TransactionRetry.reason(e, TransactionRetry.Stage.WORKING, galera, false)
                        .filter(TransactionRetry.Reason::unavailable), e, attempt, started)) {
                    throw new DatabaseUnavailableException(e);
                }
            }
        }
    }

    /**
     * A connection of the pool; on a Galera cluster, while none is to be had (a database node died and the others are
     * reforming), asked for again for up to 12 s. Work in auto-commit mode is not run again: a statement of it may
     * have been applied.
     */
    private Connection connection() throws SQLException {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                if (!again(TransactionRetry.reason(e, TransactionRetry.Stage.CONNECTING, galera, false), e, attempt,
                        started)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Begins a transaction on a pooled connection, which stays in auto-commit mode: {@code START TRANSACTION} is one
     * statement, where {@code setAutoCommit(false)} is one ({@code set autocommit=0}) and the pool's reset when the
     * connection goes back another. The same transaction: InnoDB takes its snapshot at the first read either way.
     * Its end is the driver's {@code commit()} or {@code rollback()}, which end the server's open transaction
     * whatever the connection's auto-commit mode; after it the connection is in auto-commit again.
     */
    private static void begin(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("START TRANSACTION");
        }
    }

    private void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // Nothing was committed. The connection is most likely broken; never lend it again with a transaction open.
            dataSource.evictConnection(c);
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
