package jp.kofu.issuance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A card used in a loop, or a stuck terminal, is slowed down with 429 RATE_LIMITED. */
final class RateLimitTest {
    @Test
    void limitsRequestsPerCardAndPerTerminal() throws Exception {
        // The limits count in fixed one-minute windows: a clock that stands still keeps every request in one window
        // (with the real clock, a run that crossed a minute boundary saw the counts start again).
        TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(30));
        try (TestNode node = TestNode.start(Map.of("kofu.limits.per-card-per-minute", 3,
                "kofu.limits.per-terminal-per-minute", 5), clock)) {
            CenterClient center = node.center();
            for (int i = 1; i <= 3; i++) {
                assertEquals(200, send(node, center, DemoResidents.FAMILY_HEAD, "T-1").status());
            }
            CenterClient.Response limited = send(node, center, DemoResidents.FAMILY_HEAD, "T-1");
            assertEquals(429, limited.status(), limited.text());
            assertEquals("RATE_LIMITED", Json.MAPPER.readTree(limited.body()).get("code").asText());
            assertEquals(200, send(node, center, DemoResidents.SPOUSE, "T-1").status(), "another card is not slowed");
            assertEquals(429, send(node, center, DemoResidents.FOREIGN, "T-1").status(), "but the terminal now is");
            assertEquals(200, send(node, center, DemoResidents.FOREIGN, "T-2").status(), "another terminal is not");
        }
    }

    private static CenterClient.Response send(TestNode node, CenterClient center, String resident, String terminal)
            throws Exception {
        ObjectNode p = CenterRequests.payload("112038", "SELF", OffsetDateTime.now());
        p.put("terminalId", terminal);
        return center.post("/center/v1/issuances", CenterRequests.issuanceBody("RL-" + System.nanoTime(), "S",
                CenterRequests.sign(node.card(resident), p)), "application/json");
    }
}
