package jp.kofu.console;

import jp.kofu.TestNode;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.Alarms;
import jp.kofu.console.account.StaffRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 障害・アラーム in Debian's headless Chromium: a 管理者 sees the open alarms (their municipality's and the ASP's),
 * acknowledges a crossed 戸籍 answer with the 確認 button, and finds it in the history with their name. Screenshots
 * {@code alarms.png} and {@code alarms-acknowledged.png}.
 */
final class AlarmsBrowserTest {
    private static TestNode node;
    private static ConsolePages browser;
    private static long crossed;

    @BeforeAll
    static void start() {
        node = TestNode.start(Map.of("kofu.alarms.check-interval", "1h"), null);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        Alarms alarms = node.context().getBean(Alarms.class);
        alarms.raise(AlarmKind.SIGNING_KEY_EXPIRING, ConsoleFixtures.CITY, "署名用証明書 シリアル 18c2f0a9d4e",
                "notAfter=2026-11-20T00:00:00Z (0 days left); renew the signing key and certificate");
        alarms.clear(AlarmKind.SIGNING_KEY_EXPIRING, ConsoleFixtures.CITY, "署名用証明書 シリアル 18c2f0a9d4e");
        alarms.raise(AlarmKind.FEED_SILENT, ConsoleFixtures.CITY, "住基の連携（/sync）", "no batch, heartbeat or"
                + " snapshot since 2026-12-01T01:02:03Z (maxFeedSilenceMinutes=60): nothing is issued");
        for (String id : new String[] {"3f1c2a4e-8b7d-4c2e-9a1f-0d6e5b4c3a21", "7a9e0c1b-2d3f-4a5b-8c6d-1e2f3a4b5c6d"}) {
            alarms.occurred(AlarmKind.KOSEKI_ANSWER_REFUSED, ConsoleFixtures.CITY, "certificate-data",
                    "call=certificate-data rule=REQUEST_ID requestId=" + id
                            + " answeredRequestId=5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", null);
        }
        alarms.raise(AlarmKind.CRL_NOT_CURRENT, null, alarms.onThisNode("CRL CN=TEST JPKI User Authentication CA,"
                + "O=Kofu (DEV),C=JP"), "no current CRL of this CA in kofu.jpki.crl-dir: cards below it are refused"
                + " REVOCATION_UNKNOWN");
        crossed = node.count("SELECT alarm_id FROM alarm WHERE kind = 'KOSEKI_ANSWER_REFUSED' AND ended_at IS NULL");
        browser = new ConsolePages(node);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        node.close();
    }

    @Test
    void anAdministratorSeesTheOpenAlarmsAndAcknowledgesOne() {
        browser.login("kanri", ConsoleFixtures.PASSWORD);
        String home = browser.text();
        assertTrue(home.contains("未確認 3件"), "the home page counts the open alarms: " + home);
        assertEquals("3", browser.driver().findElement(By.cssSelector("nav.menu .badge")).getText(), "the menu's count");
        assertEquals("障害・アラーム", browser.click(By.cssSelector("nav.menu a[href='/console/alarms']")));
        String text = browser.text();
        assertTrue(text.contains("住基の連携が途絶えている"), text);
        assertTrue(text.contains("戸籍の回答の食い違い（発行せず）"), text);
        assertTrue(text.contains("CRLが最新でない") && text.contains("ASP全体"), text);
        assertTrue(text.contains("署名用証明書の期限が近い"), "the ended one is in the history: " + text);
        var row = browser.driver().findElement(By.id("alarm-" + crossed));
        assertTrue(row.getText().contains("requestId=7a9e0c1b"), "the latest occurrence: " + row.getText());
        assertEquals("2", row.findElement(By.cssSelector("td.num")).getText(), "two crossed answers in one row");
        browser.screenshot("alarms");

        assertEquals("障害・アラーム", browser.click(By.cssSelector("#alarm-" + crossed + " button")));
        text = browser.text();
        assertTrue(text.contains("「戸籍の回答の食い違い（発行せず）」を確認済みにしました。"), text);
        var history = browser.driver().findElement(By.cssSelector("table.history #alarm-" + crossed));
        assertTrue(history.getText().contains("kanri"), "acknowledged by kanri: " + history.getText());
        assertFalse(browser.driver().findElements(By.cssSelector("table.alarms:not(.history) #alarm-" + crossed))
                .iterator().hasNext(), "no longer open");
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_action_log WHERE staff_login = 'kanri'"
                + " AND action = 'ALARM_ACKNOWLEDGE'"));
        browser.screenshot("alarms-acknowledged");
    }
}
