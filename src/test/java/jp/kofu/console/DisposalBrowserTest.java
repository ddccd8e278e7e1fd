package jp.kofu.console;

import jp.kofu.TestNode;
import jp.kofu.console.account.StaffRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.LocalDate;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 管理者 records in Debian's headless Chromium that a printed certificate was recovered and destroyed, through
 * the form of its detail page; a 閲覧者 then sees the record and no form. Screenshots {@code detail-disposal-form}
 * and {@code detail-disposal}.
 */
final class DisposalBrowserTest {
    private static TestNode node;
    private static ConsoleFixtures data;
    private static ConsolePages browser;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        data = ConsoleFixtures.seed(node);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "etsuran", "川口 閲覧", StaffRole.VIEWER);
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
    void aManagerRecordsThatAPaperWasRecoveredAndDestroyed() {
        String number = data.printed.get(0);
        long row = DisposalTest.rowOf(node, number);
        String today = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();
        browser.login("kanri", ConsoleFixtures.PASSWORD);
        browser.open("/console/issuances/" + row);
        assertTrue(browser.text().contains("処分情報を記録する"), browser.text());
        browser.select("disposition", "RECOVERED_DESTROYED");
        // A date field's typed form follows the browser's locale: its value is set as the form sends it.
        browser.driver().executeScript("arguments[0].value = arguments[1];",
                browser.driver().findElement(By.id("disposedOn")), today);
        browser.select("reason", "WRONG_PERSON");
        browser.type("note", "窓口で回収し、課内でシュレッダー処理");
        browser.driver().findElement(By.id("note")).click();
        browser.screenshot("detail-disposal-form");
        assertEquals("発行記録の詳細（記録番号 " + row + "）", browser.click(By.xpath("//button[text()='記録する']")));
        String text = browser.text();
        assertTrue(text.contains("回収して廃棄"), text);
        assertTrue(text.contains("別の人の証明書を交付した"), text);
        assertTrue(text.contains("窓口で回収し、課内でシュレッダー処理"), text);
        assertTrue(text.contains("kanri"), text);
        assertTrue(text.contains("処分情報を訂正する"), text);
        assertEquals(1, node.count("SELECT COUNT(*) FROM issuance_disposal_log WHERE issuance_number = '"
                + number + "'"));

        browser.login("etsuran", ConsoleFixtures.PASSWORD);
        browser.open("/console/issuances/" + row);
        text = browser.text();
        assertTrue(text.contains("回収して廃棄") && text.contains("kanri"), text);
        assertTrue(browser.driver().findElements(By.id("disposition")).isEmpty(), "a 閲覧者 has no form");
        browser.screenshot("detail-disposal");
        browser.open("/console/issuances?issuanceNumber=" + number);
        assertTrue(browser.text().contains("処分記録あり"), browser.text());
    }
}
