package jp.kofu.audit;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.card.SoftwareCard;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on one database append to the same municipality's chain at once (issuances, refusals, completions):
 * the chain head serialises them, so the chain comes out whole, numbered without gap, one row per request.
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
            assertEquals(rows, report.lastSequence(), "numbered 1 … n without a gap");
            assertTrue(a.context().getBean(LogChainVerifier.class).verifyAll().stream().allMatch(ChainReport::intact));
        }
    }
}
