package jp.kofu.audit;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import jp.kofu.TestDatabase;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.Database;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on one database issue for one municipality at once (issuances, refusals, completions): each appends to
 * its own chain ({@code 112038/<node name>}), so the two do not contend for one head row; both chains come out
 * whole, numbered without gap, one row per request; the day's checkpoint lists both, and a node's chain deleted
 * whole, rows and head, shows against it.
 */
final class TwoNodeLogChainTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 6;

    @Test
    void concurrentIssuancesOnTwoNodesLeaveAnIntactChain() throws Exception {
        try (TestNode a = TestNode.start(); TestNode b = a.sibling(Map.of(), null)) {
            List<TestNode> nodes = List.of(a, b);
            SoftwareCard holder = a.card(DemoResidents.FAMILY_HEAD);
            SoftwareCard child = a.card(DemoResidents.CHILD);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                TestNode node = nodes.get(t % 2);
                results.add(pool.submit(() -> {
                    CenterClient center = node.center();
                    int[] outcome = new int[2];
                    for (int i = 0; i < PER_THREAD; i++) {
                        boolean refused = i % 3 == 2;
                        CenterClient.Response r = center.post("/center/v1/issuances", CenterRequests.issuanceBody(
                                "C-" + UUID.randomUUID(), "S1", CenterRequests.sign(refused ? child : holder,
                                        CenterRequests.payload("112038", "SELF", OffsetDateTime.now()))),
                                "application/json");
                        if (r.status() == 200) {
                            String number = Json.MAPPER.readTree(r.body()).get("issuanceNumber").asText();
                            CenterClient.Response done = center.post("/center/v1/issuances/" + number + "/completion",
                                    "{\"result\":\"PRINTED\"}".getBytes(StandardCharsets.UTF_8), "application/json");
                            assertEquals(200, done.status(), done.text());
                            outcome[0]++;
                        } else {
                            JsonNode refusal = Json.MAPPER.readTree(r.body());
                            assertEquals("NOT_ISSUABLE", refusal.get("code").asText(), r.text());
                            outcome[1]++;
                        }
                    }
                    return outcome;
                }));
            }
            int issued = 0;
            int refused = 0;
            for (Future<int[]> f : results) {
                issued += f.get()[0];
                refused += f.get()[1];
            }
            pool.shutdown();
            assertEquals(THREADS * PER_THREAD, issued + refused);

            ChainReport report = b.context().getBean(LogChainVerifier.class).verify("112038");
            assertTrue(report.intact(), report.toString());
            long rows = a.count("SELECT COUNT(*) FROM issuance_log WHERE municipality_code = '112038'");
            assertEquals(2L * issued + refused, rows, "one row per request and one per completion");
            assertEquals(rows, report.entriesChecked());
            String chainA = "112038/" + a.context().getBean(KofuSettings.class).nodeName();
            String chainB = "112038/" + b.context().getBean(KofuSettings.class).nodeName();
            assertEquals(List.copyOf(new java.util.TreeSet<>(List.of(chainA, chainB))), report.chains().stream().map(ChainReport.Chain::key).toList(),
                    "one chain per node");
            for (ChainReport.Chain chain : report.chains()) {
                assertTrue(chain.entries() > 0, chain.toString());
                assertEquals(chain.entries(), chain.lastSequence(), "numbered 1 … n without a gap: " + chain);
                assertEquals(chain.entries(), a.count("SELECT COUNT(*) FROM issuance_log WHERE chain_key = '"
                        + chain.key() + "'"));
            }
            assertEquals(0, a.count("SELECT COUNT(*) FROM issuance_log WHERE chain_key = '112038'"),
                    "the chain of the bare code no longer grows");
            assertTrue(a.context().getBean(LogChainVerifier.class).verifyAll().stream().allMatch(ChainReport::intact));

            // Tomorrow, the checkpoint of today lists both chains at their last row.
            LocalDate today = LocalDate.now(LogCheckpoints.TOKYO);
            LogCheckpoints tomorrow = new LogCheckpoints(a.context().getBean(Database.class),
                    a.context().getBean(CheckpointKeys.class), Clock.offset(Clock.systemUTC(), Duration.ofDays(1)));
            assertEquals(1, tomorrow.writeMissing());
            String body = new String(a.context().getBean(Database.class).withConnection(c -> {
                try (var s = c.prepareStatement("SELECT body FROM log_day_checkpoint WHERE municipality_code = ?"
                        + " AND log_day = ?")) {
                    s.setString(1, "112038");
                    s.setObject(2, today);
                    try (var rs = s.executeQuery()) {
                        assertTrue(rs.next());
                        return rs.getBytes(1);
                    }
                }
            }), StandardCharsets.UTF_8);
            StringBuilder expected = new StringBuilder("kofu-issuance-log-checkpoint/2\nmunicipality=112038\nday="
                    + today + "\n");
            for (ChainReport.Chain chain : report.chains()) {
                expected.append("chain=").append(chain.key()).append(" lastSequence=").append(chain.lastSequence())
                        .append(" headHash=").append(lastHash(a, chain.key())).append('\n');
            }
            assertEquals(expected.toString(), body);
            ChainReport checked = a.context().getBean(LogChainVerifier.class).verify("112038");
            assertTrue(checked.intact(), checked.toString());
            assertEquals(1, checked.checkpointsChecked());

            // Node B's chain removed whole, rows and head, as the admin account could: the checkpoint names it.
            try (Connection c = DriverManager.getConnection(a.dbUrl(), TestDatabase.admin().user(),
                    TestDatabase.admin().password()); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM issuance_log WHERE chain_key = '" + chainB + "'");
                s.executeUpdate("DELETE FROM log_chain_head WHERE chain_key = '" + chainB + "'");
            }
            ChainReport deleted = a.context().getBean(LogChainVerifier.class).verify("112038");
            assertFalse(deleted.intact(), deleted.toString());
            assertEquals(1, deleted.totalBreaks(), deleted.toString());
            ChainBreak gone = deleted.firstBreak().orElseThrow();
            assertEquals(ChainBreak.Kind.DELETED_ROW, gone.kind());
            assertEquals(chainB, gone.chain());
            assertEquals(today, gone.day());
            assertEquals(0, deleted.chain(chainB).orElseThrow().entries());
            assertTrue(deleted.chain(chainA).orElseThrow().breaks() == 0, deleted.toString());
        }
    }

    private static String lastHash(TestNode node, String chain) {
        return node.context().getBean(Database.class).withConnection(c -> {
            try (var s = c.prepareStatement("SELECT last_hash FROM log_chain_head WHERE chain_key = ?")) {
                s.setString(1, chain);
                try (var rs = s.executeQuery()) {
                    assertTrue(rs.next(), chain);
                    return rs.getString(1);
                }
            }
        });
    }
}
