package jp.kofu.ops;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract §10 over the real listeners: the management port answers /health/live, /health/ready and /metrics and
 * nothing else; the service's mTLS port answers none of those three.
 */
final class ManagementListenerTest {
    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void liveAnswersUp() throws Exception {
        HttpResponse<String> live = Management.get(node.managementUri(), "/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("{\"status\":\"UP\"}", live.body());
        assertTrue(live.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void readyAnswersUpWithEveryCheckNamed() throws Exception {
        HttpResponse<String> ready = Management.get(node.managementUri(), "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode body = Json.parseObject(ready.body().getBytes(StandardCharsets.UTF_8), "ready");
        assertEquals("UP", body.get("status").asText());
        assertEquals("UP", body.get("checks").get("database").asText());
        assertEquals("UP", body.get("checks").get("signing:112038").asText(), ready.body());
        assertEquals("UP", body.get("checks").get("crl").asText());
        assertTrue(body.get("checks").get("tsa") == null, "no TSA configured, no tsa check: " + ready.body());
        assertEquals(0, body.get("failed").size());
        assertTrue(body.get("feeds").has("112038"), ready.body());
    }

    @Test
    void managementPortAnswersNothingElse() throws Exception {
        for (String path : new String[] {"/", "/console/", "/console/login", "/center/v1/issuances",
                "/sync/v1/status", "/verify/", "/health", "/health/live/", "/metrics/x", "/prometheus"}) {
            HttpResponse<String> r = Management.get(node.managementUri(), path);
            assertEquals(404, r.statusCode(), path + ": " + r.body());
            assertTrue(r.headers().firstValue("Location").isEmpty(), path + " redirected");
        }
        assertEquals(404, Management.send(node.managementUri(), "/health/live", "POST").statusCode());
        assertEquals(404, Management.send(node.managementUri(), "/metrics", "DELETE").statusCode());
        // A path a caller made up never becomes a label of the HTTP server's meters.
        node.anonymous().get("/verify/made-up-R0000123");
        String metrics = Management.get(node.managementUri(), "/metrics").body();
        assertTrue(!metrics.contains("made-up-R0000123") && !metrics.contains("/prometheus"),
                String.join("\n", metrics.lines().filter(l -> l.startsWith("http_server")).toList()));
    }

    @Test
    void servicePortAnswersNoManagementPath() throws Exception {
        for (CenterClient caller : new CenterClient[] {node.center(), node.sync(), node.anonymous()}) {
            for (String path : new String[] {"/health/live", "/health/ready", "/metrics"}) {
                CenterClient.Response r = caller.get(path);
                assertEquals(404, r.status(), path + ": " + r.text());
                assertTrue(!r.text().contains("UP") && !r.text().contains("jvm_"), r.text());
            }
        }
    }

    @Test
    void theServerNamesTheServicePortAsItsOwn() {
        // Micronaut's start-up line ("Server Running: https://…") and EmbeddedServer.getPort() name the first listener.
        var server = node.context().getBean(io.micronaut.runtime.server.EmbeddedServer.class);
        assertEquals(node.uri().getPort(), server.getPort());
        assertEquals("https", server.getScheme());
    }

    @Test
    void servicePortStillServesWithItsFilters() throws Exception {
        assertEquals(200, node.sync().get("/sync/v1/status").status());
        CenterClient.Response anonymous = node.anonymous().get("/sync/v1/status");
        assertEquals(401, anonymous.status(), anonymous.text());
        assertTrue(anonymous.text().contains("CALLER_UNAUTHENTICATED"));
        CenterClient.Response console = node.anonymous().get("/console/");
        assertEquals(303, console.status(), console.text());
    }
}
