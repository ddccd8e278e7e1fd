package jp.kofu.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.console.account.StaffRole;
import jp.kofu.contract.Json;
import jp.kofu.demo.DemoResidents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 管理者 stops and resumes a certificate type of their municipality on one node's console; the other node of the
 * same database refuses that type ({@code 422 OUTSIDE_SERVICE_HOURS}) within seconds and keeps issuing the others.
 * Staff of another municipality, and 監査者 / 閲覧者, stop nothing.
 */
final class TypeStopTest {
    private static final String CITY = ConsoleFixtures.CITY;
    private static TestNode a;
    private static TestNode b;
    private static ConsoleHttp consoleOfA;

    @BeforeAll
    static void start() {
        a = TestNode.start(Map.of("kofu.console.login-attempts-per-address-per-minute", 10_000), null);
        b = a.sibling(Map.of(), null);
        ConsoleFixtures.addStaff(a, CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(a, CITY, "kansa", "川口 監査", StaffRole.AUDITOR);
        ConsoleFixtures.addStaff(a, CITY, "etsuran", "川口 閲覧", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(a, ConsoleFixtures.OTHER_CITY, "kanri", "千代田 管理", StaffRole.ADMIN);
        consoleOfA = new ConsoleHttp(a);
    }

    @AfterAll
    static void stop() {
        TestNode.closeAll(b, a);
    }

    @AfterEach
    void nothingStaysStopped() {
        a.context().getBean(jp.kofu.municipality.TypeStops.class).resume(CITY, jp.kofu.contract.CertificateType.JUMINHYO);
    }

    @Test
    void aStopOnOneNodesConsoleHoldsOnTheOtherNodeWithinSecondsAndOnlyForThatType() throws Exception {
        assertEquals(200, issue(b, "JUMINHYO").status());
        String admin = consoleOfA.signIn(CITY, "kanri", ConsoleFixtures.PASSWORD);
        HttpResponse<String> page = consoleOfA.get("/console/certificate-types", admin);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("住民票の写し"), page.body());

        HttpResponse<String> stopped = consoleOfA.post("/console/certificate-types/" + CITY + "/JUMINHYO/stop", admin,
                ConsoleHttp.form("_csrf", ConsoleHttp.csrf(page.body())));
        assertEquals(200, stopped.statusCode(), stopped.body());
        assertTrue(stopped.body().contains("停止しました"), stopped.body());
        assertEquals(1, a.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'TYPE_STOP' AND target = 'JUMINHYO'"
                + " AND staff_login = 'kanri' AND municipality_code = '" + CITY + "'"));

        assertEquals("OUTSIDE_SERVICE_HOURS", within(Duration.ofSeconds(5), () -> code(issue(b, "JUMINHYO")),
                "OUTSIDE_SERVICE_HOURS"), "node B refuses the stopped type within seconds");
        assertEquals(422, issue(b, "JUMINHYO").status());
        assertEquals(200, issue(b, "JUMINHYO_KISAI").status(), "the other types still issue");

        HttpResponse<String> resumed = consoleOfA.post("/console/certificate-types/" + CITY + "/JUMINHYO/resume", admin,
                ConsoleHttp.form("_csrf", ConsoleHttp.csrf(stopped.body())));
        assertEquals(200, resumed.statusCode(), resumed.body());
        assertTrue(resumed.body().contains("再開しました"), resumed.body());
        assertEquals("200", within(Duration.ofSeconds(5), () -> String.valueOf(issue(b, "JUMINHYO").status()), "200"),
                "node B issues again within seconds");
        assertEquals(1, a.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'TYPE_RESUME'"
                + " AND target = 'JUMINHYO'"));
    }

    @Test
    void anotherMunicipalitysAdministratorStopsNothing() throws Exception {
        String chiyoda = consoleOfA.signIn(ConsoleFixtures.OTHER_CITY, "kanri", ConsoleFixtures.PASSWORD);
        HttpResponse<String> page = consoleOfA.get("/console/certificate-types", chiyoda);
        assertEquals(200, page.statusCode(), page.body());
        assertFalse(page.body().contains("/console/certificate-types/" + CITY), "no form of 川口市");
        String csrf = ConsoleHttp.csrf(page.body());
        HttpResponse<String> r = consoleOfA.post("/console/certificate-types/" + CITY + "/JUMINHYO/stop", chiyoda,
                ConsoleHttp.form("_csrf", csrf));
        assertEquals(404, r.statusCode(), r.body());
        assertEquals(0, a.count("SELECT COUNT(*) FROM type_stop"));
        assertEquals(0, a.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'TYPE_STOP'"));
        assertEquals(200, issue(b, "JUMINHYO").status(), "川口市 still issues");
    }

    @Test
    void auditorsAndViewersCannotStop() throws Exception {
        String admin = consoleOfA.signIn(CITY, "kanri", ConsoleFixtures.PASSWORD);
        String adminsCsrf = ConsoleHttp.csrf(consoleOfA.get("/console/certificate-types", admin).body());
        for (String login : new String[] {"kansa", "etsuran"}) {
            String s = consoleOfA.signIn(CITY, login, ConsoleFixtures.PASSWORD);
            HttpResponse<String> home = consoleOfA.get("/console/", s);
            assertFalse(home.body().contains("/console/certificate-types"), login + ": no menu item");
            assertEquals(403, consoleOfA.get("/console/certificate-types", s).statusCode(), login);
            String csrf = ConsoleHttp.csrf(home.body());
            for (String token : new String[] {csrf, adminsCsrf}) {
                HttpResponse<String> r = consoleOfA.post("/console/certificate-types/" + CITY + "/JUMINHYO/stop", s,
                        ConsoleHttp.form("_csrf", token));
                assertEquals(403, r.statusCode(), login + ": " + r.body());
            }
        }
        assertEquals(0, a.count("SELECT COUNT(*) FROM type_stop"));
        assertTrue(a.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'FORBIDDEN'"
                + " AND staff_login IN ('kansa', 'etsuran')") >= 4);
    }

    /** Issues one certificate of {@code type} for the demo family head through node's center connection. */
    static CenterClient.Response issue(TestNode node, String type) throws Exception {
        ObjectNode p = CenterRequests.payload(CITY, "SELF", OffsetDateTime.now());
        p.put("certificateType", type);
        return node.center().post("/center/v1/issuances", CenterRequests.issuanceBody("T-" + UUID.randomUUID(),
                "SEJ-0012345", CenterRequests.sign(node.card(DemoResidents.FAMILY_HEAD), p)), "application/json");
    }

    private static String code(CenterClient.Response r) throws Exception {
        return r.status() == 200 ? "200" : Json.MAPPER.readTree(r.body()).get("code").asText();
    }

    interface Probe {
        String get() throws Exception;
    }

    /** The probe's answer once it is {@code wanted}, trying every 200 ms; the last answer after {@code limit}. */
    static String within(Duration limit, Probe probe, String wanted) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        String last;
        do {
            last = probe.get();
            if (last.equals(wanted)) {
                return last;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < end);
        return last;
    }
}
