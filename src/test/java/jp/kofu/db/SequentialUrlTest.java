package jp.kofu.db;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jp.kofu.TestDatabase;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.config.SettingException;
import jp.kofu.demo.DemoResidents;
import jp.kofu.config.KofuSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Connector/J failover URL whose first host is down: Kofu migrates, grants and serves through the next one.
 * Regression: any URL but one host stopped the start with "unexpected JDBC URL form".
 */
final class SequentialUrlTest {
    @Test
    void startsThroughTheSecondHostWhenTheFirstIsClosed() throws Exception {
        String single = TestDatabase.newDatabase();
        String database = single.substring(single.lastIndexOf('/') + 1);
        int port = TestDatabase.server().port();
        String url = "jdbc:mariadb:sequential://127.0.0.1:" + closedPort() + ",127.0.0.1:" + port + "/" + database
                + "?connectTimeout=2000";
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "sequential-url")
                .toAbsolutePath();
        Environment env = ApplicationContext.builder().properties(Map.of(
                "kofu.data-dir", dataDir.toString(),
                "kofu.db.url", url,
                "kofu.db.user", TestDatabase.app().user(),
                "kofu.db.password", TestDatabase.app().password(),
                "kofu.db.admin-user", TestDatabase.admin().user(),
                "kofu.db.admin-password", TestDatabase.admin().password())).deduceEnvironment(false).build()
                .getEnvironment();
        env.start();
        try (Database db = new Database(new KofuSettings(env), List.of(), new SimpleMeterRegistry())) {
            String[] seen = db.inTransaction(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT DATABASE(), @@port, (SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1)")) {
                    rs.next();
                    return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
                }
            });
            assertEquals(database, seen[0]);
            assertEquals(Integer.toString(port), seen[1]);
            assertTrue(Integer.parseInt(seen[2]) > 0, "migrated");
            // The grant step ran through the failover URL too: the pool's account may read the replica's tables.
            assertEquals(0L, (long) db.withConnection(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM resident")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
        } finally {
            jp.kofu.TestFiles.deleteRecursively(dataDir);
        }
    }

    @Test
    void aNodeIssuesThroughTheSecondHostWhenTheFirstIsClosed() throws Exception {
        String single = TestDatabase.newDatabase();
        String url = "jdbc:mariadb:sequential://127.0.0.1:" + closedPort() + ",127.0.0.1:"
                + TestDatabase.server().port() + single.substring(single.lastIndexOf('/'));
        try (TestNode node = TestNode.start(Map.of("kofu.db.url", url), null)) {
            CenterClient.Response r = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                    "SEQ-1", "S", CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD),
                            CenterRequests.payload("112038", "SELF", OffsetDateTime.now()))), "application/json");
            assertEquals(200, r.status(), r.text());
            assertEquals(1, node.count("SELECT COUNT(*) FROM issuance"));
            // The node's Database counts its retries in the node's registry (what /metrics will export).
            assertEquals(0, node.context().getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .get(TransactionRetry.METER).tag("reason", "certification").counter().count());
        }
    }

    @Test
    void refusesAReplicationUrlNamingTheKey() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "replication-url")
                .toAbsolutePath();
        try {
            Environment env = ApplicationContext.builder().properties(Map.of(
                    "kofu.data-dir", dataDir.toString(),
                    "kofu.db.url", "jdbc:mariadb:replication://127.0.0.1:" + TestDatabase.server().port()
                            + ",127.0.0.1:" + closedPort() + "/kofu?password=secret")).deduceEnvironment(false).build()
                    .getEnvironment();
            env.start();
            SettingException e = assertThrows(SettingException.class,
                    () -> new Database(new KofuSettings(env), List.of(), new SimpleMeterRegistry()).close());
            assertTrue(e.getMessage().startsWith("kofu.db.url: the replication mode"), e.getMessage());
            assertTrue(!e.getMessage().contains("secret"), e.getMessage());
        } finally {
            jp.kofu.TestFiles.deleteRecursively(dataDir);
        }
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
