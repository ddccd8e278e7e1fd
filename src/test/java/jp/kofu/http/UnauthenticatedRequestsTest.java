package jp.kofu.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jp.kofu.TestClock;
import jp.kofu.TestFiles;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.pki.DevPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests refused before the caller is authenticated are counted, not logged row by row (contract §7).
 */
final class UnauthenticatedRequestsTest {
    /** Micrometer's name of kofu_unauthenticated_requests_total. */
    private static final String COUNTER = "kofu.unauthenticated.requests";
    private static final int N = 30;
    private static final byte[] BODY = "{\"centerTransactionId\":\"E-flood\",\"cardRequest\":\"a.b.c\"}"
            .getBytes(StandardCharsets.UTF_8);

    private TestClock clock;
    private TestNode node;
    private Path foreignDir;
    private ListAppender<ILoggingEvent> lines;
    private Logger logger;

    @BeforeEach
    void start() throws Exception {
        clock = new TestClock(Instant.now());
        node = TestNode.start(Map.of(), clock);
        foreignDir = Files.createTempDirectory("kofu-foreign-pki");
        logger = (Logger) LoggerFactory.getLogger(CallerFilter.class);
        lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(lines);
        node.close();
        TestFiles.deleteRecursively(foreignDir);
    }

    // Guards against: every refused caller wrote an issuance_log row, so a flood without a certificate grew the
    // append-only log for ever and queued on the chain head.
    @Test
    void countsCallersRefusedBeforeAuthenticationWithoutALogRowAndLogsThemRarely() throws Exception {
        long rows = node.count("SELECT COUNT(*) FROM issuance_log");
        double before = refused("center");
        CenterClient anonymous = node.anonymous();
        CenterClient syncCertificate = node.sync();
        DevPki foreign = DevPki.open(foreignDir, clock);
        CenterClient foreignCa = new CenterClient(node.uri(), foreign.centerClientKeystore(), foreign.password(),
                node.pki().tlsCa());

        int answered401 = 0;
        for (int i = 0; i < N; i++) {
            for (CenterClient client : List.of(anonymous, syncCertificate, foreignCa)) {
                try {
                    CenterClient.Response r = client.post("/center/v1/issuances", BODY, "application/json");
                    assertEquals(401, r.status(), r.text());
                    assertTrue(r.text().contains("CALLER_UNAUTHENTICATED"), r.text());
                    answered401++;
                } catch (IOException handshakeRefused) {
                    // A certificate of a CA the listener does not know may already end the TLS handshake.
                    assertTrue(client == foreignCa, "only the foreign CA's client may fail in TLS: " + handshakeRefused);
                }
            }
        }

        assertTrue(answered401 >= 2 * N, "the anonymous and the sync-certificate callers were answered 401");
        assertEquals(rows, node.count("SELECT COUNT(*) FROM issuance_log"), "no issuance_log row for any of them");
        assertEquals(before + answered401, refused("center"), "each refusal counted");
        assertEquals(1, lines.list.size(), "one operations log line, not one per refusal: " + lines.list);
        assertTrue(lines.list.get(0).getFormattedMessage().contains("/center/v1/issuances"), lines.list.toString());

        clock.advance(Duration.ofSeconds(10));
        assertEquals(401, anonymous.post("/center/v1/issuances", BODY, "application/json").status());
        assertEquals(2, lines.list.size(), lines.list.toString());
        String summary = lines.list.get(1).getFormattedMessage();
        assertTrue(summary.contains("refused " + answered401 + " unauthenticated request(s)"),
                "the next line tells how many since the last one: " + summary);
        assertEquals(rows, node.count("SELECT COUNT(*) FROM issuance_log"));
    }

    @Test
    void countsSyncPathsApartWithThePathGroupAsTheOnlyTag() throws Exception {
        double center = refused("center");
        double sync = refused("sync");
        CenterClient.Response r = node.center().get("/sync/v1/status");
        assertEquals(401, r.status(), r.text());
        assertEquals(sync + 1, refused("sync"));
        assertEquals(center, refused("center"));
        MeterRegistry meters = node.context().getBean(MeterRegistry.class);
        for (Counter c : meters.find(COUNTER).counters()) {
            assertEquals(List.of("path_group"), c.getId().getTags().stream().map(t -> t.getKey()).toList());
        }
        assertEquals(2, meters.find(COUNTER).counters().size(), "center and sync");
    }

    private double refused(String pathGroup) {
        return node.context().getBean(MeterRegistry.class).get(COUNTER)
                .tag("path_group", pathGroup).counter().count();
    }
}
