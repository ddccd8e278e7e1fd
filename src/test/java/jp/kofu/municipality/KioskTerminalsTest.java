package jp.kofu.municipality;

import jp.kofu.TestMunicipalities;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kiosk terminal registry over the real mutual-TLS endpoint: a request with {@code channel: KIOSK} from an
 * unknown terminal, a disabled one, or one outside its own hours is refused, with a REFUSED log row; the
 * convenience-store channel is not affected by kiosk hours.
 */
final class KioskTerminalsTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** Yesterday at noon in Tokyo: in the past, so that the keys made a day earlier are valid at every time tested. */
    private static final ZonedDateTime NOON = jp.kofu.TestClock.lastServiceDayNoon();
    private static TestNode node;
    private static TestClock clock;
    private static CenterClient kiosk;

    @BeforeAll
    static void start() throws Exception {
        Path file = TestMunicipalities.file(TestMunicipalities.yaml(
            TestMunicipalities.kawaguchi("""
                serviceHours: "06:30-23:00"
                fees: { JUMINHYO: 200 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                maxFeedSilenceMinutes: 10080   # the test's clock jumps a day after the snapshot
                kiosks:
                  - terminalId: "KIOSK-112038-01"
                    place: "本庁舎 1階 市民課前"
                    hours: "08:30-17:15"
                    clientSubject: "CN=KIOSK-112038-01, OU=Kiosk, O=Kofu (DEV), C=JP"
                  - terminalId: "KIOSK-112038-02"
                    place: "青木支所"
                    enabled: false
                    clientSubject: "CN=KIOSK-112038-02, OU=Kiosk, O=Kofu (DEV), C=JP"
                """)));
        clock = new TestClock(NOON.minusDays(1).toInstant());
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString()), clock);
        Files.delete(file);
        CenterClient.Response r = node.sync().put("/sync/v1/snapshot?municipalityCode=112038&asOfSeq=1",
                DemoResidents.snapshot("112038", node.pki()), "application/x-ndjson");
        assertEquals(200, r.status(), r.text());
        kiosk = node.kiosk("KIOSK-112038-01");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ObjectNode payload(String channel, String terminalId) {
        ObjectNode p = CenterRequests.payload("112038", "SELF", OffsetDateTime.ofInstant(clock.instant(), TOKYO));
        p.put("channel", channel);
        p.put("terminalId", terminalId);
        return p;
    }

    private static CenterClient.Response send(String path, ObjectNode payload) throws Exception {
        return send(kiosk, path, payload);
    }

    private static CenterClient.Response send(CenterClient caller, String path, ObjectNode payload) throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("centerTransactionId", "K-" + System.nanoTime());
        body.put("cardRequest", CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), payload));
        return caller.post(path, Json.bytes(body), "application/json");
    }

    private static CenterClient.Response issue(String channel, String terminalId) throws Exception {
        return send("/center/v1/issuances", payload(channel, terminalId));
    }



    @FunctionalInterface
    private interface Call {
        CenterClient.Response run() throws Exception;
    }

    /** The refusal's status, code and Japanese message, nothing issued, and its REFUSED log row. */
    private static void assertRefused(int status, String code, Call call) throws Exception {
        String refusedRows = "SELECT COUNT(*) FROM issuance_log WHERE result = 'REFUSED' AND code = '" + code + "'";
        long logged = node.count(refusedRows);
        long issued = node.count("SELECT COUNT(*) FROM issuance");
        CenterClient.Response r = call.run();
        assertEquals(status, r.status(), r.text());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals(code, body.get("code").asText());
        assertTrue(body.get("message").asText().contains("端末") || code.equals("OUTSIDE_SERVICE_HOURS"),
                body.toString());
        assertFalse(r.text().contains("KIOSK-"), "the answer does not echo the terminal id");
        assertEquals(logged + 1, node.count(refusedRows), "one REFUSED log row with " + code);
        assertEquals(issued, node.count("SELECT COUNT(*) FROM issuance"), "nothing issued");
    }

    @Test
    void issuesToARegisteredKioskWithinItsHours() throws Exception {
        clock.set(NOON.toInstant());
        CenterClient.Response r = issue("KIOSK", "KIOSK-112038-01");
        assertEquals(200, r.status(), r.text());
        assertTrue(node.count("SELECT COUNT(*) FROM issuance_log WHERE channel = 'KIOSK' AND terminal_id = "
                + "'KIOSK-112038-01' AND result = 'ISSUED'") > 0, "logged with its channel and terminal");
    }

    @Test
    void refusesAnUnknownTerminal() throws Exception {
        clock.set(NOON.toInstant());
        assertRefused(403, "TERMINAL_UNKNOWN", () -> issue("KIOSK", "KIOSK-999999-01"));
    }

    @Test
    void refusesATerminalOfAnotherCity() throws Exception {
        clock.set(NOON.toInstant());
        // Registered ids are per municipality: the same id under another city is not this city's kiosk.
        assertRefused(403, "TERMINAL_UNKNOWN", () -> issue("KIOSK", "KIOSK-131016-01"));
    }

    @Test
    void refusesADisabledTerminal() throws Exception {
        clock.set(NOON.toInstant());
        assertRefused(403, "TERMINAL_DISABLED", () -> send(node.kiosk("KIOSK-112038-02"), "/center/v1/issuances",
                payload("KIOSK", "KIOSK-112038-02")));
    }

    @Test
    void refusesAKioskOutsideItsOwnHoursWhileTheCityIsOpen() throws Exception {
        clock.set(NOON.withHour(17).withMinute(15).toInstant());
        assertRefused(422, "OUTSIDE_SERVICE_HOURS", () -> issue("KIOSK", "KIOSK-112038-01"));
        clock.set(NOON.withHour(8).withMinute(29).toInstant());
        assertRefused(422, "OUTSIDE_SERVICE_HOURS", () -> issue("KIOSK", "KIOSK-112038-01"));
        clock.set(NOON.withHour(8).withMinute(30).toInstant());
        assertEquals(200, issue("KIOSK", "KIOSK-112038-01").status(), "open from 08:30");
        clock.set(NOON.withHour(20).toInstant());
        assertEquals(200, send(node.center(), "/center/v1/issuances", payload("CONVENIENCE_STORE", "SEJ-0012345-01"))
                .status(), "the city's hours still hold for the convenience-store channel");
    }

    @Test
    void refusesTheHouseholdListingFromAnUnknownTerminal() throws Exception {
        clock.set(NOON.toInstant());
        ObjectNode p = payload("KIOSK", "KIOSK-999999-01");
        p.put("certificateType", "HOUSEHOLD_LISTING");
        p.remove("scope");
        p.remove("options");
        p.remove("copies");
        assertRefused(403, "TERMINAL_UNKNOWN", () -> send("/center/v1/household-members", p));
    }
}
