package jp.kofu.ops;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestClock;
import jp.kofu.TestFiles;
import jp.kofu.TestMunicipalities;
import jp.kofu.demo.DemoResidents;
import jp.kofu.TestNode;
import jp.kofu.contract.Json;
import jp.kofu.db.EmbeddedMariaDb;
import jp.kofu.signing.TestTimestampAuthority;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /health/ready over the real management listener: 503 naming the check when a dependency it checks is down. */
final class ReadinessTest {

    private static JsonNode ready(TestNode node, int expectedStatus) throws Exception {
        HttpResponse<String> r = Management.get(node.managementUri(), "/health/ready");
        assertEquals(expectedStatus, r.statusCode(), r.body());
        return Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8), "ready");
    }

    @Test
    void isUnreadyNamingTheTsaWhileTheTimeStampAuthorityIsDown() throws Exception {
        try (TestTimestampAuthority tsa = new TestTimestampAuthority();
             TestNode node = TestNode.start(Map.of("kofu.tsa.url", tsa.url().toString(),
                     "kofu.management.probe-seconds", 0), null)) {
            JsonNode up = ready(node, 200);
            assertEquals("UP", up.get("checks").get("tsa").asText(), up.toString());
            long asked = tsa.requests();
            assertTrue(asked >= 1, "the probe is a real time-stamp request");

            tsa.goDown();
            JsonNode down = ready(node, 503);
            assertEquals("DOWN", down.get("status").asText());
            assertEquals("DOWN", down.get("checks").get("tsa").asText());
            assertEquals("[\"tsa\"]", down.get("failed").toString(), "only the TSA failed: " + down);
            assertEquals("UP", down.get("checks").get("database").asText());
            // Liveness never looks at a dependency.
            assertEquals(200, Management.get(node.managementUri(), "/health/live").statusCode());
        }
    }

    @Test
    void reusesTheTsaProbeForTheProbeInterval() throws Exception {
        try (TestTimestampAuthority tsa = new TestTimestampAuthority();
             TestNode node = TestNode.start(Map.of("kofu.tsa.url", tsa.url().toString()), null)) {
            ready(node, 200);
            long asked = tsa.requests();
            for (int i = 0; i < 5; i++) {
                ready(node, 200);
            }
            assertEquals(asked, tsa.requests(), "a scrape every few seconds does not ask the TSA each time");
            tsa.goDown();
            assertEquals("UP", ready(node, 200).get("checks").get("tsa").asText(), "the result is kept 30 s");
        }
    }

    /** Past the CRLs' nextUpdate every card is refused: the node is unready, naming the CRL, and the gauge is negative. */
    @Test
    void isUnreadyNamingTheCrlOncePastItsNextUpdate() throws Exception {
        TestClock clock = new TestClock(java.time.Instant.now());
        try (TestNode node = TestNode.start(Map.of(), clock)) {
            assertEquals("UP", ready(node, 200).get("checks").get("crl").asText());
            clock.advance(java.time.Duration.ofDays(40)); // the dev PKI's CRL lives 30 days
            JsonNode down = ready(node, 503);
            assertEquals("DOWN", down.get("checks").get("crl").asText(), down.toString());
            assertEquals("[\"crl\"]", down.get("failed").toString(), down.toString());
            String metrics = Management.get(node.managementUri(), "/metrics").body();
            var crls = PrometheusText.parse(metrics).stream()
                    .filter(sample -> sample.name().equals("kofu_crl_next_update_seconds")).toList();
            assertTrue(!crls.isEmpty() && crls.stream().allMatch(sample -> sample.value() < -9 * 86400), metrics);
        }
    }

    /**
     * A silent feed stops its municipality only (§6): listed, never a reason to take the node — and with it every
     * node, since all share the feed — out of the load balancer (docs/contract-notes.md, Operations).
     */
    @Test
    void listsASilentFeedWithoutMakingTheNodeUnready() throws Exception {
        String fed = """
                serviceHours: "00:00-24:00"
                fees: { JUMINHYO: 200 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                maxFeedSilenceMinutes: 60
                """;
        Path file = TestMunicipalities.file(TestMunicipalities.yaml(TestMunicipalities.kawaguchi(fed),
                TestMunicipalities.chiyoda(fed)));
        try (TestNode node = TestNode.start(Map.of("kofu.municipalities-file", file.toString()), null)) {
            Files.delete(file);
            assertEquals(200, node.sync().put("/sync/v1/snapshot?municipalityCode=112038&asOfSeq=10",
                    DemoResidents.snapshot("112038", node.pki()), "application/x-ndjson").status());
            JsonNode body = ready(node, 200);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!body.get("feeds").get("112038").asText().equals("FRESH") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                body = ready(node, 200);
            }
            assertEquals("FRESH", body.get("feeds").get("112038").asText(), body.toString());
            assertEquals("SILENT", body.get("feeds").get("131016").asText(), "never heard: " + body);
            assertEquals("UP", body.get("status").asText());
            assertEquals(0, body.get("failed").size());
            String metrics = Management.get(node.managementUri(), "/metrics").body();
            assertTrue(metrics.contains("kofu_replica_last_heard_seconds{municipality=\"131016\"} +Inf"), metrics);
            assertTrue(metrics.contains("kofu_replica_max_feed_silence_seconds{municipality=\"131016\"} 3600"),
                    metrics);
        }
    }

    @Test
    void isUnreadyNamingTheDatabaseWhileItIsStopped() throws Exception {
        Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "ready-db").toAbsolutePath();
        EmbeddedMariaDb server = EmbeddedMariaDb.start(home.resolve("mariadb"));
        TestNode node = null;
        try {
            String url = server.createDatabase("kofu_ready");
            node = TestNode.startOn(url, server.admin(), server.app(), Map.of(), null);
            assertEquals("UP", ready(node, 200).get("checks").get("database").asText());

            server.close();
            JsonNode down = ready(node, 503);
            assertEquals("DOWN", down.get("checks").get("database").asText(), down.toString());
            assertTrue(down.get("failed").toString().contains("\"database\""), down.toString());
            assertEquals(200, Management.get(node.managementUri(), "/health/live").statusCode());
        } finally {
            TestNode.closeAll(node);
            server.close();
            TestFiles.deleteRecursively(home);
        }
    }
}
