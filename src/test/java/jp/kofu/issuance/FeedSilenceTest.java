package jp.kofu.issuance;

import jp.kofu.TestMunicipalities;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A municipality whose feed has been silent longer than its {@code maxFeedSilenceMinutes} issues nothing (contract
 * §6): a silent feed may mean a stale replica (板野町 2023: a delayed address change printed the old address through
 * a "working" feed). 503 with an ALARM line, until a batch or a heartbeat is heard again.
 */
final class FeedSilenceTest {
    private static TestNode node;
    private static TestClock clock;

    @BeforeAll
    static void start() throws Exception {
        Path file = TestMunicipalities.file(TestMunicipalities.yaml(
            TestMunicipalities.kawaguchi("""
                serviceHours: "00:00-24:00"
                fees: { JUMINHYO: 200 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                maxFeedSilenceMinutes: 60
                """)));
        clock = new TestClock(TestClock.lastServiceDayNoon().toInstant());
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString()), clock);
        Files.delete(file);
        CenterClient.Response r = node.sync().put("/sync/v1/snapshot?municipalityCode=112038&asOfSeq=10",
                DemoResidents.snapshot("112038", node.pki()), "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static CenterClient.Response issue() throws Exception {
        ObjectNode p = CenterRequests.payload("112038", "SELF", OffsetDateTime.ofInstant(clock.instant(),
                ZoneId.of("Asia/Tokyo")));
        return node.center().post("/center/v1/issuances", CenterRequests.issuanceBody("S-" + System.nanoTime(), "S1",
                CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), p)), "application/json");
    }

    @Test
    void issuesNothingWhileTheFeedIsSilentAndResumesWhenItIsHeard() throws Exception {
        assertEquals(200, issue().status(), "the snapshot was just heard");
        clock.advance(Duration.ofMinutes(59));
        assertEquals(200, issue().status(), "59 minutes of silence are within the limit");
        clock.advance(Duration.ofMinutes(2));

        Logger ops = (Logger) LoggerFactory.getLogger("kofu.ops.issuance");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        ops.addAppender(lines);
        long issued = node.count("SELECT COUNT(*) FROM issuance");
        try {
            CenterClient.Response silent = issue();
            assertEquals(503, silent.status(), silent.text());
            Refusals.assertShape(503, "SERVICE_UNAVAILABLE", silent);
        } finally {
            ops.detachAppender(lines);
        }
        assertEquals(issued, node.count("SELECT COUNT(*) FROM issuance"), "nothing issued");
        assertTrue(lines.list.stream().anyMatch(e -> e.getFormattedMessage().startsWith("ALARM")
                && e.getFormattedMessage().contains("silent")), "an ALARM line names the silence");

        String heartbeat = "{\"seq\":11,\"type\":\"HEARTBEAT\",\"municipalityCode\":\"112038\",\"asOf\":\""
                + OffsetDateTime.ofInstant(clock.instant(), ZoneId.of("Asia/Tokyo")) + "\"}\n";
        CenterClient.Response heard = node.sync().post("/sync/v1/changes",
                heartbeat.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals(200, heard.status(), heard.text());
        assertEquals(200, issue().status(), "heard again: issuing again");
    }
}
