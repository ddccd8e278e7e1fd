package jp.kofu.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.replica.SnapshotLoadsAtOnce;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.contract.Json;
import jp.kofu.demo.DemoResidents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Kofu nodes writing through two different Galera nodes (the case a named lock cannot cover and where a counter
 * row written by every issuance conflicts at commit): two snapshot loads of one municipality at once give one
 * {@code 200} and one {@code TRANSACTION_CONFLICT}; issuances on both nodes draw their numbers from blocks that the
 * block log names by node.
 */
final class SnapshotLoadOnGaleraIT {
    private static final String CITY = "112038";
    private static GaleraCluster cluster;
    private static String db;
    private static TestNode a;
    private static TestNode b;

    @BeforeAll
    static void startClusterAndNodes() {
        cluster = GaleraCluster.start(2);
        try {
            db = cluster.createDatabase("kofu_snapshot_it");
            a = TestNode.startOn(cluster.url(1, db), cluster.admin(), cluster.app(), Map.of("kofu.node.name", "kofu-a"),
                    null);
            b = a.sibling(cluster.url(2, db), Map.of("kofu.node.name", "kofu-b"), null);
        } catch (RuntimeException | Error e) {
            stopAll();
            throw e;
        }
    }

    @AfterAll
    static void stopAll() {
        GaleraCluster.closeInOrder(b, a, cluster);
    }

    @Test
    void twoLoadsAtOnceThroughTwoDatabaseNodesGiveOne200AndOneConflict() throws Exception {
        SnapshotLoadsAtOnce.oneRunsOneIsRefused(List.of(a, b), CITY, 20_000, 10);
        assertEquals(0, count(2, "SELECT COUNT(*) FROM snapshot_load"), "the row deleted, on every node");
    }

    @Test
    void issuancesOnBothNodesTakeNumbersFromTheirOwnBlocks() throws Exception {
        assertEquals(200, a.sync().put("/sync/v1/snapshot?municipalityCode=" + CITY + "&asOfSeq=30",
                DemoResidents.snapshot(CITY, a.pki()), "application/x-ndjson").status());
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            for (TestNode node : List.of(a, b)) {
                ObjectNode payload = CenterRequests.payload(CITY, "SELF", OffsetDateTime.now());
                CenterClient.Response r = node.center().post("/center/v1/issuances", CenterRequests.issuanceBody(
                        "G-" + System.nanoTime(), "S1", CenterRequests.sign(node.card(DemoResidents.SPOUSE), payload)),
                        "application/json");
                assertEquals(200, r.status(), r.text());
                assertTrue(numbers.add(Json.MAPPER.readTree(r.body()).get("issuanceNumber").asText()));
            }
        }
        try (Connection c = cluster.connect(1); Statement s = c.createStatement()) {
            s.execute("USE `" + db + "`");
            s.execute("SET SESSION wsrep_sync_wait = 1");
            List<String> blocks = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT first_value, last_value, node_name FROM number_block_log"
                    + " WHERE municipality_code = '" + CITY + "' ORDER BY issue_date, first_value")) {
                while (rs.next()) {
                    blocks.add(rs.getInt(1) + "-" + rs.getInt(2) + " " + rs.getString(3));
                }
            }
            // Usually one block per node; a day that changes in Tokyo meanwhile starts new ones.
            assertTrue(blocks.stream().anyMatch(x -> x.endsWith(" kofu-a")), blocks.toString());
            assertTrue(blocks.stream().anyMatch(x -> x.endsWith(" kofu-b")), blocks.toString());
        }
    }

    private static long count(int node, String sql) throws Exception {
        try (Connection c = cluster.connect(node); Statement s = c.createStatement()) {
            s.execute("USE `" + db + "`");
            s.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
