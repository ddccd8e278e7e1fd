package jp.kofu.console;

import jp.kofu.TestClock;
import jp.kofu.TestNode;
import jp.kofu.console.account.StaffRole;
import jp.kofu.console.account.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Login in Debian's headless Chromium: lockout after repeated failures, idle timeout, TOTP, logout. */
final class LoginBrowserTest {
    private static TestClock clock;
    private static TestNode node;
    private static ConsolePages browser;

    @BeforeAll
    static void start() {
        clock = new TestClock(Instant.now());
        node = TestNode.start(Map.of(), clock);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "tanaka", "田中 次郎", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "yamada", "山田 三郎", StaffRole.AUDITOR);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "sato", "佐藤 四郎", StaffRole.VIEWER);
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
    void locksTheAccountAfterFiveWrongPasswords() {
        for (int i = 1; i <= 4; i++) {
            browser.login("tanaka", "wrong-password-" + i);
            assertTrue(browser.text().contains("ログインIDまたはパスワードが違います。"), browser.text());
        }
        browser.login("tanaka", "wrong-password-5");
        assertTrue(browser.text().contains("ログインIDまたはパスワードが違います。"),
                "the lock is told only to someone who knows the password: " + browser.text());
        browser.login("tanaka", "wrong-password-6");
        assertTrue(browser.text().contains("ログインIDまたはパスワードが違います。"), browser.text());
        browser.login("tanaka", ConsoleFixtures.PASSWORD);
        assertTrue(browser.text().contains("ロックされています"), "even the right password, while locked");
        browser.screenshot("11-locked");
        assertEquals("本日の状況", browser.login("kanri", ConsoleFixtures.PASSWORD));
        browser.open("/console/staff");
        assertTrue(browser.text().contains("ロック中"), browser.text());
        browser.click(By.xpath("//button[@aria-label='田中 次郎さんのロックを解除']"));
        assertTrue(browser.text().contains("田中 次郎さんのロックを解除しました。"), browser.text());
        assertEquals("本日の状況", browser.login("tanaka", ConsoleFixtures.PASSWORD), "unlocked by the 管理者");
        browser.login("kanri", ConsoleFixtures.PASSWORD);
        browser.open("/console/staff-actions?login=tanaka&action=LOCKED");
        assertEquals(1, browser.rows().size(), "the lock is in the staff action log");
    }

    @Test
    void aLockEndsByItselfAfterFifteenMinutes() {
        for (int i = 1; i <= 5; i++) {
            browser.login("sato", "wrong-password-" + i);
        }
        browser.login("sato", ConsoleFixtures.PASSWORD);
        assertTrue(browser.text().contains("ロックされています"), browser.text());
        clock.advance(Duration.ofMinutes(16));
        assertEquals("本日の状況", browser.login("sato", ConsoleFixtures.PASSWORD));
    }

    @Test
    void endsASessionLeftIdle() {
        assertEquals("本日の状況", browser.login("yamada", ConsoleFixtures.PASSWORD));
        clock.advance(Duration.ofMinutes(14));
        browser.open("/console/issuances");
        assertEquals("発行記録の検索", browser.heading(), "14 minutes is not idle enough");
        clock.advance(Duration.ofMinutes(16));
        browser.open("/console/issuances");
        assertEquals("職員ログイン", browser.heading());
        assertTrue(browser.text().contains("操作がなかったため、ログアウトしました"), browser.text());
    }

    @Test
    void logsOutAndTheOldCookieNoLongerWorks() {
        browser.login("yamada", ConsoleFixtures.PASSWORD);
        var cookie = browser.driver().manage().getCookieNamed("kofu_console");
        browser.click(By.xpath("//button[text()='ログアウト']"));
        assertTrue(browser.text().contains("ログアウトしました。"), browser.text());
        browser.driver().manage().addCookie(cookie);
        browser.open("/console/issuances");
        assertEquals("職員ログイン", browser.heading());
    }

    @Test
    void asksForTheTotpCodeOnceItIsTurnedOn() {
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "ito", "伊藤 五郎", StaffRole.VIEWER);
        browser.login("ito", ConsoleFixtures.PASSWORD);
        browser.open("/console/account");
        String secret = browser.driver().findElement(By.name("secret")).getAttribute("value");
        browser.screenshot("12-account-totp");
        browser.type("code", Totp.code(secret, clock.instant()));
        browser.type("totpPassword", ConsoleFixtures.PASSWORD);
        browser.click(By.xpath("//button[text()='設定する']"));
        assertTrue(browser.text().contains("確認コードを設定しました"), browser.text());
        assertEquals(1, node.count("SELECT COUNT(*) FROM staff_account WHERE login = 'ito' AND totp_secret LIKE 'gcm1:%'"
                + " AND totp_secret NOT LIKE '%" + secret + "%'"), "the secret is sealed in the database");
        assertEquals("確認コードの入力", browser.login("ito", ConsoleFixtures.PASSWORD));
        browser.open("/console/issuances");
        assertEquals("確認コードの入力", browser.heading(), "nothing is open before the code");
        browser.type("code", "000000".equals(Totp.code(secret, clock.instant())) ? "111111" : "000000");
        browser.submit();
        assertTrue(browser.text().contains("確認コードが違います"), browser.text());
        browser.screenshot("13-totp");
        clock.advance(Duration.ofSeconds(30));
        browser.type("code", Totp.code(secret, clock.instant()));
        assertEquals("本日の状況", browser.submit());
    }
}
