package jp.kofu.replica;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.contract.Json;
import jp.kofu.db.Database;
import jp.kofu.demo.DemoResidents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One snapshot load of a municipality at a time, across the nodes of one database, held by its
 * {@code snapshot_load} row (no named lock: Galera does not replicate those): a second load at once is refused with
 * {@code TRANSACTION_CONFLICT}; the row of a load whose node died is taken over once its heartbeat is stale.
 */
final class SnapshotLoadRowTest {
    private static final String CITY = "112038";
    private static TestNode a;
    private static TestNode b;

    @BeforeAll
    static void start() {
        a = TestNode.start(Map.of("kofu.node.name", "kofu-a"), null);
        b = a.sibling(Map.of("kofu.node.name", "kofu-b"), null);
    }

    @AfterAll
    static void stop() {
        TestNode.closeAll(b, a);
    }

    @Test
    void twoLoadsAtOnceOnTwoNodesGiveOne200AndOneConflict() throws Exception {
        try {
            SnapshotLoadsAtOnce.oneRunsOneIsRefused(List.of(a, b), CITY, 40_000, 500);
            assertEquals(40_000, a.count("SELECT COUNT(*) FROM resident r JOIN municipality_replica m"
                    + " ON m.municipality_code = r.municipality_code AND m.generation = r.generation"
                    + " WHERE r.municipality_code = '" + CITY + "'"), "the one load that ran is live, whole");
            assertEquals(0, a.count("SELECT COUNT(*) FROM snapshot_load"), "the row is deleted at the end");
        } finally {
            reloadDemo();
        }
    }

    @Test
    void aLiveLoadsRowRefusesAndADeadNodesStaleRowIsTakenOver() throws Exception {
        Instant now = Instant.now();
        holdRow("kofu-gone", now.minus(Duration.ofMinutes(1)));
        try {
            CenterClient.Response refused = loadDemo(b);
            assertEquals(409, refused.status(), refused.text());
            JsonNode answer = Json.MAPPER.readTree(refused.body());
            assertEquals("TRANSACTION_CONFLICT", answer.get("code").asText());
            assertEquals(1, a.count("SELECT COUNT(*) FROM snapshot_load WHERE node_name = 'kofu-gone'"),
                    "a refused load leaves the other load's row alone");

            // The node died: no heartbeat for more than 10 minutes.
            a.context().getBean(Database.class).withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE snapshot_load SET heartbeat_at = ?")) {
                    s.setTimestamp(1, Timestamp.from(now.minus(Duration.ofMinutes(11))));
                    return s.executeUpdate();
                }
            });
            CenterClient.Response taken = loadDemo(b);
            assertEquals(200, taken.status(), taken.text());
            assertEquals(0, a.count("SELECT COUNT(*) FROM snapshot_load"), "taken over, then deleted at the end");
        } finally {
            a.context().getBean(Database.class).withConnection(c -> c.createStatement()
                    .executeUpdate("DELETE FROM snapshot_load"));
        }
    }

    /**
     * Regression (CrashSafetyIT): a node killed during a snapshot left its row behind, and the snapshot sent again
     * after the restart was refused for 10 minutes. A node's rows are released when it starts again.
     */
    @Test
    void aRestartedNodeReleasesTheLoadItWasRunningWhenItStopped() throws Exception {
        holdRow("kofu-c", Instant.now());
        try {
            assertEquals(409, loadDemo(b).status(), "another node's live load");
            try (TestNode restarted = a.sibling(Map.of("kofu.node.name", "kofu-c"), null)) {
                assertEquals(0, a.count("SELECT COUNT(*) FROM snapshot_load"), "released at its start");
                assertEquals(200, loadDemo(restarted).status());
            }
        } finally {
            a.context().getBean(Database.class).withConnection(c -> c.createStatement()
                    .executeUpdate("DELETE FROM snapshot_load"));
        }
    }

    private static void holdRow(String node, Instant heartbeat) {
        a.context().getBean(Database.class).withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO snapshot_load (municipality_code, load_id,"
                    + " node_name, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, CITY);
                s.setString(2, "0".repeat(32));
                s.setString(3, node);
                s.setTimestamp(4, Timestamp.from(heartbeat.minus(Duration.ofMinutes(5))));
                s.setTimestamp(5, Timestamp.from(heartbeat));
                return s.executeUpdate();
            }
        });
    }

    private static CenterClient.Response loadDemo(TestNode node) throws Exception {
        return node.sync().put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=600",
                DemoResidents.snapshot(CITY, node.pki()), "application/x-ndjson");
    }

    private static void reloadDemo() throws Exception {
        assertEquals(200, loadDemo(a).status());
    }
}
