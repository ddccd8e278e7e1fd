package jp.kofu.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffRole;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Log rows made through the real issuance path (the center's HTTPS with mutual TLS, demo cards), and staff
 * accounts, for the console tests.
 */
final class ConsoleFixtures {
    static final String CITY = "112038";
    /** 千代田区: a municipality this node does not serve, for a staff member who must see nothing of 川口市. */
    static final String OTHER_CITY = "131016";
    static final String PASSWORD = "Kofu-console-test-9";

    final List<String> printed = new ArrayList<>();
    String voided;
    String pending;

    private ConsoleFixtures() {}

    /** Issues through the center: 3 printed (セブン-イレブン, ローソン ×2 copies, kiosk), 1 voided, 1 left
     * pending, 2 refused (under age, blocked). */
    static ConsoleFixtures seed(TestNode node) throws Exception {
        ConsoleFixtures f = new ConsoleFixtures();
        CenterClient center = node.center();
        f.printed.add(complete(center, issue(node, DemoResidents.FAMILY_HEAD, "HOUSEHOLD_ALL", 1, "CONVENIENCE_STORE",
                "SEJ-0012345", "SEJ-0012345-01"), true));
        f.printed.add(complete(center, issue(node, DemoResidents.SPOUSE, "SELF", 2, "CONVENIENCE_STORE",
                "LAW-0204060", "LAW-0204060-02"), true));
        f.printed.add(complete(caller(node, "KIOSK", jp.kofu.municipality.KioskTerminals.DEMO_TERMINAL),
                issue(node, DemoResidents.FOREIGN, "SELF", 1, "KIOSK", null, jp.kofu.municipality.KioskTerminals.DEMO_TERMINAL),
                true));
        f.voided = complete(center, issue(node, DemoResidents.TEEN, "SELF", 1, "CONVENIENCE_STORE", "FM-0033333",
                "FM-0033333-01"), false);
        f.pending = issue(node, DemoResidents.FAMILY_HEAD, "SELF", 1, "CONVENIENCE_STORE", "SEJ-0012345",
                "SEJ-0012345-02");
        issue(node, DemoResidents.CHILD, "SELF", 1, "CONVENIENCE_STORE", "SEJ-0099999", "SEJ-0099999-01");
        issue(node, DemoResidents.BLOCKED, "SELF", 1, "CONVENIENCE_STORE", "LAW-0204060", "LAW-0204060-01");
        return f;
    }

    static void addStaff(TestNode node, String municipality, String login, String name, StaffRole role) {
        node.context().getBean(StaffAccounts.class).add(municipality, login, name, role, PASSWORD, false);
    }

    /** Issues a 住民票; answers its 発行番号, or null when it was refused. */
    static String issue(TestNode node, String resident, String scope, int copies, String channel, String store,
                        String terminal) throws Exception {
        ObjectNode p = CenterRequests.payload(CITY, scope, OffsetDateTime.now());
        p.put("channel", channel);
        p.put("terminalId", terminal);
        p.put("copies", copies);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("centerTransactionId", "C-" + UUID.randomUUID());
        if (store != null) {
            body.put("storeCode", store);
        }
        body.put("cardRequest", CenterRequests.sign(node.card(resident), p));
        CenterClient.Response r = caller(node, channel, terminal).post("/center/v1/issuances", Json.bytes(body),
                "application/json");
        if (r.status() != 200) {
            assertEquals(422, r.status(), r.text());
            return null;
        }
        JsonNode answer = Json.MAPPER.readTree(r.body());
        return answer.get("issuanceNumber").asText();
    }

    /** The center, or for the kiosk channel the kiosk's own certificate (contract §7). */
    private static CenterClient caller(TestNode node, String channel, String terminal) {
        return "KIOSK".equals(channel) ? node.kiosk(terminal) : node.center();
    }

    private static String complete(CenterClient center, String number, boolean printed) throws Exception {
        String body = printed ? "{\"result\":\"PRINTED\"}" : "{\"result\":\"FAILED\",\"reason\":\"PAPER_JAM\"}";
        CenterClient.Response r = center.post("/center/v1/issuances/" + number + "/completion",
                body.getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(200, r.status(), r.text());
        return number;
    }
}
