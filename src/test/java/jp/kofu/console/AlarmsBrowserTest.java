package jp.kofu.console;

import jp.kofu.TestNode;
import jp.kofu.alarm.AlarmKind;
import jp.kofu.alarm.Alarms;
import jp.kofu.console.account.StaffRole;
import jp.kofu.demo.DemoResidents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 障害・アラーム in Debian's headless Chromium: a 管理者 records a J-LIS error notice with the form, sees the open
 * alarms (their municipality's and the ASP's), acknowledges a crossed 戸籍 answer with the 確認 button, and finds it
 * in the history with their name; a 監査者 then acknowledges the notice (not its recorder: four eyes) and follows its
 * 発行番号 to the issuance. Screenshots {@code alarms.png}, {@code alarms-acknowledged.png} and
 * {@code alarms-notice.png}.
 */
final class AlarmsBrowserTest {
    private static TestNode node;
    private static ConsolePages browser;
    private static long crossed;
    private static String issued;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(Map.of("kofu.alarms.check-interval", "1h"), null);
        issued = ConsoleFixtures.issue(node, DemoResidents.FAMILY_HEAD, "SELF", 1, "CONVENIENCE_STORE",
                "SEJ-0012345", "SEJ-0012345-01");
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kansa", "川口 監査", StaffRole.AUDITOR);
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
        // A J-LIS error notice, received by mail today, recorded with the form (the day is today by default).
        browser.type("reference", "JLIS-2026-0417");
        browser.type("issuanceNumber", issued);
        browser.type("note", "印刷データの不整合（エラー E-3021）の照会。発行記録を確認のこと");
        assertEquals("障害・アラーム", browser.click(By.id("record-notice")));
        long notice = node.count("SELECT alarm_id FROM alarm WHERE kind = 'CENTER_NOTICE'");
        assertTrue(browser.text().contains("交付センターからのエラー通知を記録しました。"), browser.text());
        assertEquals("4", browser.driver().findElement(By.cssSelector("nav.menu .badge")).getText(), "counted");
        var recorded = browser.driver().findElement(By.id("alarm-" + notice));
        assertTrue(recorded.getText().contains("JLIS-2026-0417") && recorded.getText().contains("E-3021")
                && recorded.getText().contains(issued), recorded.getText());
        assertTrue(recorded.getText().contains("あなたが記録しました。別の職員が確認します"), recorded.getText());
        assertFalse(recorded.findElements(By.tagName("button")).iterator().hasNext(), "no 確認 for its recorder");
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

        browser.login("kansa", ConsoleFixtures.PASSWORD);
        browser.open("/console/alarms");
        assertEquals("障害・アラーム", browser.click(By.cssSelector("#alarm-" + notice + " button")));
        assertTrue(browser.text().contains("「交付センターからのエラー通知」を確認済みにしました。"), browser.text());
        var checked = browser.driver().findElement(By.cssSelector("table.history #alarm-" + notice));
        assertTrue(checked.getText().contains("kansa") && checked.getText().contains("kanri"),
                "recorded by kanri, checked by kansa: " + checked.getText());
        assertEquals(1, node.count("SELECT COUNT(*) FROM alarm WHERE alarm_id = " + notice
                + " AND recorded_by = 'kanri' AND acknowledged_by = 'kansa' AND ended_at IS NOT NULL"));
        browser.screenshot("alarms-notice");
        String detail = browser.click(By.cssSelector("table.history #alarm-" + notice + " a"));
        assertTrue(detail.startsWith("発行記録の詳細"), detail);
        assertTrue(browser.text().contains(issued), "the issuance of the notice: " + browser.text());
    }
}
