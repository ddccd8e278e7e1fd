package jp.kofu.db;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jp.kofu.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On a Galera node (a one-node cluster of the system's {@code mariadbd} and {@code galera-4}, bootstrapped here) the
 * pool reads causally: every connection has {@code wsrep_sync_wait=1}. Skipped where those packages are not installed
 * ({@code .ci/install-test-packages} installs them).
 */
final class GaleraNodeTest {
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");
    private static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");

    @Test
    void setsCausalReadsOnEveryConnectionOfAGaleraNode() throws Exception {
        assumeTrue(Files.isExecutable(MARIADBD) && Files.isExecutable(INSTALL_DB) && Files.isRegularFile(PROVIDER),
                "mariadb-server and galera-4 are not installed");
        Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "galera-node").toAbsolutePath();
        boolean root = "root".equals(System.getProperty("user.name"));
        Process server = null;
        try {
            Path data = home.resolve("data");
            List<String> install = new ArrayList<>(List.of(INSTALL_DB.toString(), "--no-defaults",
                    "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
            if (root) {
                install.add("--user=root");
            }
            Process installer = new ProcessBuilder(install).redirectErrorStream(true)
                    .redirectOutput(home.resolve("install.log").toFile()).start();
            assertTrue(installer.waitFor(120, TimeUnit.SECONDS) && installer.exitValue() == 0,
                    "mariadb-install-db: " + Files.readString(home.resolve("install.log")));
            int port = freePort();
            int group = freePort();
            List<String> command = new ArrayList<>(List.of(MARIADBD.toString(), "--no-defaults",
                    "--datadir=" + data, "--socket=" + home.resolve("sock"), "--port=" + port,
                    "--bind-address=127.0.0.1", "--skip-name-resolve", "--log-error=" + home.resolve("error.log"),
                    "--wsrep-on=ON", "--wsrep-provider=" + PROVIDER, "--wsrep-cluster-address=gcomm://",
                    "--wsrep-cluster-name=kofu-test-" + port, "--wsrep-node-address=127.0.0.1",
                    // Its own group port, away from any other cluster of this machine (4567 by default).
                    "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" + group + ";base_port=" + group,
                    "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2"));
            if (root) {
                command.add("--user=root");
            }
            server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(home.resolve("out.log").toFile()).start();
            String serverUrl = "jdbc:mariadb://127.0.0.1:" + port + "/";
            awaitReady(serverUrl, server, home);
            try (Connection c = DriverManager.getConnection(serverUrl, "root", ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE kofu CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            }

            try (Database db = Database.connect(serverUrl + "kofu", new DbAccount("root", ""),
                    new SimpleMeterRegistry())) {
                assertTrue(db.galera());
                for (int i = 0; i < 3; i++) {
                    // Connections of the pool, each asked in a transaction as an issuance would read.
                    assertEquals(1, (int) db.inTransaction(c -> {
                        try (Statement s = c.createStatement();
                             ResultSet rs = s.executeQuery("SELECT @@session.wsrep_sync_wait")) {
                            rs.next();
                            return rs.getInt(1);
                        }
                    }));
                }
            }
        } finally {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(60, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            TestFiles.deleteRecursively(home);
        }
    }

    private static void awaitReady(String url, Process server, Path home) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = DriverManager.getConnection(url + "?connectTimeout=1000", "root", "");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'wsrep_ready'")) {
                if (rs.next() && "ON".equals(rs.getString(2))) {
                    return;
                }
            } catch (SQLException notYet) {
                // still starting
            }
            if (!server.isAlive() || System.nanoTime() > deadline) {
                String log = Files.isRegularFile(home.resolve("error.log"))
                        ? Files.readString(home.resolve("error.log")) : "";
                throw new AssertionError("the Galera node did not become ready: "
                        + log.substring(Math.max(0, log.length() - 2000)));
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
