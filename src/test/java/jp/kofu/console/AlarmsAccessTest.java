package jp.kofu.console;

import jp.kofu.TestMunicipalities;
import jp.kofu.TestNode;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.Alarms;
import jp.kofu.console.account.StaffRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 障害・アラーム over HTTPS on a node serving 川口市 (A) and 千代田区 (B): who sees the page, who may acknowledge,
 * and B's staff trying A's alarms by URL — nothing seen, nothing changed.
 */
final class AlarmsAccessTest {
    private static final String A = "112038";
    private static final String B = "131016";
    private static TestNode node;
    private static ConsoleHttp http;
    private static Alarms alarms;

    @BeforeAll
    static void start() throws Exception {
        Path file = TestMunicipalities.file(TestMunicipalities.yaml(
                TestMunicipalities.kawaguchi("""
                    fees: { JUMINHYO: 200 }
                    syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                    """),
                TestMunicipalities.chiyoda("""
                    fees: { JUMINHYO: 370 }
                    syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                    """)));
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString(), "kofu.alarms.check-interval", "1h"),
                null);
        Files.delete(file);
        http = new ConsoleHttp(node);
        alarms = node.context().getBean(Alarms.class);
        ConsoleFixtures.addStaff(node, A, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, A, "kansa", "川口 監査", StaffRole.AUDITOR);
        ConsoleFixtures.addStaff(node, A, "etsuran", "川口 閲覧", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(node, B, "chiyoda", "千代田 管理", StaffRole.ADMIN);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A fresh event alarm of 川口市; answers its id. */
    private static long kawaguchiAlarm(String subject) {
        alarms.occurred(AlarmKind.TRANSACTION_FAILED, A, subject, "transaction=T-" + subject + " cause=IOException",
                null);
        return node.count("SELECT alarm_id FROM alarm WHERE subject = '" + subject + "' AND ended_at IS NULL");
    }

    private static String sessionOf(String municipality, String login) throws Exception {
        return http.signIn(municipality, login, ConsoleFixtures.PASSWORD);
    }

    private static HttpResponse<String> acknowledge(String session, long id, String csrf) throws Exception {
        return http.post("/console/alarms/" + id + "/acknowledge", session,
                csrf == null ? ConsoleHttp.form("other", "field") : ConsoleHttp.form("_csrf", csrf));
    }

    @Test
    void aViewerGetsNoPageAndNoMenuLink() throws Exception {
        String session = sessionOf(A, "etsuran");
        HttpResponse<String> page = http.get("/console/alarms", session);
        assertEquals(403, page.statusCode(), page.body());
        assertFalse(page.body().contains("IOException"), "nothing of an alarm on the refusal");
        assertFalse(http.get("/console/", session).body().contains("/console/alarms"), "no menu link");
        long id = kawaguchiAlarm("viewer-" + System.nanoTime());
        assertEquals(403, acknowledge(session, id, http.csrfOf(session)).statusCode());
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id + " AND acknowledged_at IS NULL"));
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE staff_login = 'etsuran'"
                + " AND action = 'FORBIDDEN' AND target = '/console/alarms'"), "the refusal is logged");
    }

    @Test
    void anotherMunicipalitysStaffNeitherSeeNorAcknowledgeItsAlarms() throws Exception {
        String subject = "kawaguchi-only-" + System.nanoTime();
        long id = kawaguchiAlarm(subject);
        alarms.clear(AlarmKind.TRANSACTION_FAILED, A, "never-open"); // nothing to end: harmless
        String chiyoda = sessionOf(B, "chiyoda");
        HttpResponse<String> page = http.get("/console/alarms", chiyoda);
        assertEquals(200, page.statusCode(), page.body());
        assertFalse(page.body().contains(subject), "千代田区 sees nothing of 川口市's alarm");
        assertFalse(page.body().contains("alarm-" + id + "\""), page.body());
        HttpResponse<String> history = http.get("/console/alarms?from=2000-01-01&kind=TRANSACTION_FAILED", chiyoda);
        assertFalse(history.body().contains(subject), "nor in the history");

        HttpResponse<String> ack = acknowledge(chiyoda, id, ConsoleHttp.csrf(page.body()));
        assertEquals(404, ack.statusCode(), ack.body());
        assertFalse(ack.body().contains(subject));
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id
                + " AND acknowledged_at IS NULL AND ended_at IS NULL"), "nothing changed");
        assertEquals(0, node.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'ALARM_ACKNOWLEDGE'"
                + " AND target = 'alarm " + id + "'"));
        assertEquals(404, acknowledge(chiyoda, 999_999_999L, ConsoleHttp.csrf(page.body())).statusCode(),
                "an id that does not exist answers the same");
    }

    @Test
    void anAspWideAlarmIsShownToEveryMunicipalityAndAcknowledgedByNone() throws Exception {
        String subject = "CRL CN=TEST JPKI CA " + System.nanoTime();
        alarms.raise(AlarmKind.CRL_NOT_CURRENT, null, subject, "no current CRL of this CA");
        long id = node.count("SELECT alarm_id FROM alarm WHERE subject = '" + subject + "'");
        try {
            for (String[] who : new String[][] {{A, "kansa"}, {B, "chiyoda"}}) {
                String session = sessionOf(who[0], who[1]);
                HttpResponse<String> page = http.get("/console/alarms", session);
                assertTrue(page.body().contains(subject), who[1] + " sees the ASP-wide alarm");
                assertFalse(page.body().contains("/console/alarms/" + id + "/acknowledge"), "no 確認 button");
                HttpResponse<String> ack = acknowledge(session, id, ConsoleHttp.csrf(page.body()));
                assertEquals(403, ack.statusCode(), ack.body());
            }
            assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id
                    + " AND acknowledged_at IS NULL"), "nothing changed");
        } finally {
            alarms.clear(AlarmKind.CRL_NOT_CURRENT, null, subject);
        }
    }

    @Test
    void anAuditorAcknowledgesAnAlarmOfTheirMunicipalityWithTheFormsToken() throws Exception {
        String subject = "acknowledged-" + System.nanoTime();
        long id = kawaguchiAlarm(subject);
        String session = sessionOf(A, "kansa");
        HttpResponse<String> page = http.get("/console/alarms", session);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains(subject) && page.body().contains("発行処理の失敗（発行せず）"), page.body());
        assertTrue(page.body().contains("/console/alarms/" + id + "/acknowledge"), "a 確認 button");

        assertEquals(403, acknowledge(session, id, null).statusCode(), "without the CSRF token");
        assertEquals(403, acknowledge(session, id, "not-the-token").statusCode(), "with another token");
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id + " AND acknowledged_at IS NULL"));

        HttpResponse<String> done = acknowledge(session, id, ConsoleHttp.csrf(page.body()));
        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("確認済みにしました"), done.body());
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + id
                + " AND acknowledged_by = 'kansa' AND ended_at IS NOT NULL"), "an event ends when acknowledged");
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE municipality_code = '" + A
                + "' AND staff_login = 'kansa' AND action = 'ALARM_ACKNOWLEDGE' AND target = 'alarm " + id + "'"));
        HttpResponse<String> again = acknowledge(session, id, ConsoleHttp.csrf(page.body()));
        assertTrue(again.body().contains("kansa さんが確認済みです"), again.body());
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE action = 'ALARM_ACKNOWLEDGE'"
                + " AND target = 'alarm " + id + "'"), "a second 確認 changes nothing");
    }

    @Test
    void theMenuCountsTheOpenAlarmsOfTheMunicipalityOnly() throws Exception {
        kawaguchiAlarm("counted-" + System.nanoTime());
        String kanri = sessionOf(A, "kanri");
        String home = http.get("/console/", kanri).body();
        assertTrue(home.contains("障害・アラーム") && home.contains("class=\"badge\""), home);
        long chiyodaOpen = node.count("SELECT COUNT(*) FROM alarm WHERE (municipality_code = '" + B
                + "' OR municipality_code IS NULL) AND ended_at IS NULL AND acknowledged_at IS NULL");
        String other = http.get("/console/", sessionOf(B, "chiyoda")).body();
        assertEquals(chiyodaOpen > 0, other.contains("class=\"badge\""), "千代田区's count is its own");
        assertTrue(other.contains(chiyodaOpen == 0 ? "確認が必要な障害・アラームはありません。" : "未確認 " + chiyodaOpen + "件"),
                other);
    }
}
