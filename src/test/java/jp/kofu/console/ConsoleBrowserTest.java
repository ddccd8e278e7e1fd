package jp.kofu.console;

import jp.kofu.TestNode;
import jp.kofu.console.account.StaffRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff console in Debian's headless Chromium against a node whose log rows were made through the real
 * issuance path: search, detail, CSV, 精算, authenticity, the staff action log, roles and municipalities.
 */
final class ConsoleBrowserTest {
    private static TestNode node;
    private static ConsoleFixtures data;
    private static ConsolePages browser;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        data = ConsoleFixtures.seed(node);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "kansa", "川口 監査", StaffRole.AUDITOR);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.CITY, "etsuran", "川口 閲覧", StaffRole.VIEWER);
        ConsoleFixtures.addStaff(node, ConsoleFixtures.OTHER_CITY, "chiyoda", "千代田 職員", StaffRole.ADMIN);
        browser = new ConsolePages(node);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        node.close();
    }

    private static String today() {
        return LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();
    }

    @Test
    void signsInAndShowsTodaysCounts() {
        browser.signOut();
        browser.open("/console/issuances");
        assertEquals("職員ログイン", browser.heading(), "a page of the console without a session goes to the login");
        browser.screenshot("01-login");
        assertEquals("本日の状況", browser.login("kanri", ConsoleFixtures.PASSWORD));
        String text = browser.text();
        assertTrue(text.contains("川口 管理（管理者）"), text);
        assertTrue(text.contains("川口市"), text);
        List<WebElement> tiles = browser.driver().findElements(By.cssSelector(".tile .count"));
        assertEquals("5件", tiles.get(0).getText(), "ISSUED today: the printed, the voided and the pending");
        assertEquals("3件", tiles.get(1).getText(), "PRINTED today");
        assertEquals("2件", tiles.get(2).getText(), "REFUSED today");
        assertTrue(text.contains("改ざんなし"), "the integrity panel: the issuance log's chain is whole");
        browser.screenshot("02-home");
    }

    @Test
    void searchesByResultAndByResident() {
        browser.login("etsuran", ConsoleFixtures.PASSWORD);
        browser.open("/console/issuances");
        assertEquals(11, browser.rows().size(), "5 issued + 4 completions + 2 refusals of today");
        browser.select("result", "REFUSED");
        browser.submit();
        assertEquals(2, browser.rows().size());
        assertTrue(browser.text().contains("発行できない住民・世帯"), browser.text());
        browser.open("/console/issuances");
        browser.type("residentId", "Ｒ０００００１０");
        browser.submit();
        assertEquals(1, browser.rows().size(), "全角 input works; the completion row names no resident");
        browser.open("/console/issuances?store=LAW");
        assertEquals(2, browser.rows().size(), "the ローソン issuance and refusal");
        browser.open("/console/issuances");
        browser.screenshot("03-search");
    }

    @Test
    void showsTheDetailOfARow() {
        browser.login("etsuran", ConsoleFixtures.PASSWORD);
        String number = data.printed.get(1);
        browser.open("/console/issuances?result=ISSUED&issuanceNumber=" + number);
        assertEquals(1, browser.rows().size());
        assertEquals("発行記録の詳細（記録番号 " + browser.rows().get(0).findElement(By.tagName("a"))
                .getAttribute("href").replaceAll(".*/", "") + "）", browser.click(By.linkText("詳細")));
        String text = browser.text();
        assertTrue(text.contains("印刷済み（交付済み）"), text);
        assertTrue(text.contains(number), text);
        assertTrue(text.contains("ローソン"), text);
        assertTrue(text.contains("2部"), text);
        assertTrue(text.contains("令和"), "dates in 和暦 on the detail page");
        browser.screenshot("04-detail");
    }

    @Test
    void exportsTheSearchAsCsvThatExcelOpens() throws Exception {
        browser.login("kansa", ConsoleFixtures.PASSWORD);
        browser.open("/console/issuances?from=" + today() + "&to=" + today());
        browser.driver().findElement(By.linkText("CSVで出力（Excel用）")).click();
        Path csv = awaitDownload(".csv");
        byte[] bytes = Files.readAllBytes(csv);
        assertEquals((byte) 0xEF, bytes[0], "UTF-8 byte order mark");
        assertEquals((byte) 0xBB, bytes[1]);
        assertEquals((byte) 0xBF, bytes[2]);
        List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).substring(1).split("\r\n"));
        assertTrue(lines.get(0).startsWith("記録番号,日時,処理,結果"), lines.get(0));
        assertEquals(12, lines.size(), "a header and 11 rows");
        assertTrue(lines.stream().anyMatch(l -> l.contains("セブン-イレブン") && l.contains("発行")), lines.toString());
    }

    @Test
    void settlementCountsOnlyPrintedIssuances() {
        browser.login("etsuran", ConsoleFixtures.PASSWORD);
        browser.open("/console/settlement");
        assertEquals("精算", browser.heading());
        String text = browser.text();
        assertTrue(text.contains("セブン-イレブン"), text);
        assertTrue(text.contains("ローソン"), text);
        assertTrue(text.contains(StoreChains.KIOSK), text);
        assertFalse(text.contains("ファミリーマート"), "the voided issuance is not counted");
        WebElement total = browser.driver().findElement(By.xpath("//table[1]//tr[th='合計']"));
        assertEquals("合計 3件 4部 800円", total.getText());
        assertEquals(48, browser.driver().findElements(By.cssSelector("svg.chart rect")).size(), "2 bars an hour");
        browser.screenshot("05-settlement");
    }

    @Test
    void checksTheAuthenticityOfAnIssuanceNumber() {
        browser.login("etsuran", ConsoleFixtures.PASSWORD);
        browser.open("/console/authenticity");
        browser.type("number", data.voided);
        browser.submit();
        assertTrue(browser.text().contains("取消になっています"), browser.text());
        browser.open("/console/authenticity");
        browser.type("number", "112038-20000101-999999");
        browser.submit();
        assertTrue(browser.text().contains("この市区町村では発行されていません"), browser.text());
        browser.open("/console/authenticity");
        browser.type("number", data.printed.get(0));
        browser.submit();
        assertTrue(browser.text().contains("この市区町村が発行し、印刷まで終わった証明書です。"), browser.text());
        assertTrue(browser.text().contains("/verify/" + data.printed.get(0) + "?d="), "the address of its QR code");
        browser.screenshot("06-authenticity");
    }

    @Test
    void auditorSeesWhoSearchedForAResident() {
        browser.login("etsuran", ConsoleFixtures.PASSWORD);
        browser.open("/console/issuances?residentId=R0000003");
        browser.login("kansa", ConsoleFixtures.PASSWORD);
        browser.open("/console/staff-actions?residentId=R0000003");
        List<WebElement> rows = browser.rows();
        assertEquals(1, rows.size(), browser.text());
        assertTrue(rows.get(0).getText().contains("etsuran"), rows.get(0).getText());
        assertTrue(rows.get(0).getText().contains("発行記録の検索"), rows.get(0).getText());
        browser.open("/console/staff-actions");
        assertTrue(browser.text().contains("ログイン"), browser.text());
        browser.screenshot("07-staff-actions");
        browser.open("/console/integrity");
        assertTrue(browser.text().contains("改ざんなし"), browser.text());
        assertTrue(browser.text().contains("確かめた記録の数"), browser.text());
        browser.screenshot("08-integrity");
    }

    @Test
    void aViewerCannotExportNorReadTheStaffActionLog() {
        browser.login("etsuran", ConsoleFixtures.PASSWORD);
        browser.open("/console/issuances");
        assertTrue(browser.driver().findElements(By.linkText("CSVで出力（Excel用）")).isEmpty());
        assertTrue(browser.driver().findElements(By.linkText("操作履歴")).isEmpty());
        browser.open("/console/staff-actions");
        assertEquals("操作を受け付けませんでした", browser.heading());
        assertTrue(browser.text().contains("あなたの権限では利用できません"), browser.text());
        browser.open("/console/issuances.csv");
        assertEquals("操作を受け付けませんでした", browser.heading());
    }

    @Test
    void staffOfAnotherMunicipalitySeeNothingOfThisOne() {
        browser.login(ConsoleFixtures.OTHER_CITY, "chiyoda", ConsoleFixtures.PASSWORD);
        browser.open("/console/issuances");
        assertTrue(browser.rows().isEmpty());
        assertTrue(browser.text().contains("条件に合う記録はありません"), browser.text());
        browser.open("/console/issuances/1");
        assertEquals("見つかりません", browser.heading());
        browser.open("/console/authenticity?number=" + data.printed.get(0));
        assertTrue(browser.text().contains("この市区町村では発行されていません"), browser.text());
    }

    @Test
    void anAdministratorAddsAStaffMemberWhoThenChoosesAPassword() {
        browser.login("kanri", ConsoleFixtures.PASSWORD);
        browser.open("/console/staff");
        browser.type("login", "suzuki");
        browser.type("displayName", "鈴木 一郎");
        browser.select("role", "VIEWER");
        browser.click(By.xpath("//button[text()='追加して初回パスワードを発行する']"));
        String first = browser.driver().findElement(By.cssSelector(".password-once")).getText();
        assertTrue(first.matches("[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}"), first);
        browser.screenshot("09-staff");
        assertEquals("パスワードの変更", browser.login("suzuki", first), "the first login asks for a new password");
        browser.open("/console/issuances");
        assertEquals("パスワードの変更", browser.heading(), "nothing else until it is changed");
        browser.screenshot("10-first-password");
        browser.type("currentPassword", first);
        browser.type("newPassword", "Suzuki-no-pass-2026");
        browser.type("confirmPassword", "Suzuki-no-pass-2026");
        assertEquals("パスワードの変更", browser.submit(), "a password containing the login id is refused");
        browser.type("currentPassword", first);
        browser.type("newPassword", "Hana-to-mizu-2026");
        browser.type("confirmPassword", "Hana-to-mizu-2026");
        assertEquals("自分のアカウント", browser.submit());
        assertTrue(browser.text().contains("パスワードを変更しました"), browser.text());
        assertEquals("本日の状況", browser.login("suzuki", "Hana-to-mizu-2026"));
    }

    /**
     * The downloaded file once Chromium has finished it: no partial download left and its size non-zero and the
     * same on two looks (Chromium may create the final name before the last bytes are written).
     */
    private static Path awaitDownload(String suffix) throws Exception {
        long lastSize = -1;
        for (int i = 0; i < 100; i++) {
            try (Stream<Path> files = Files.list(browser.downloads())) {
                List<Path> all = files.toList();
                Optional<Path> done = all.stream().filter(p -> p.toString().endsWith(suffix)).findFirst();
                boolean partial = all.stream().anyMatch(p -> p.toString().endsWith(".crdownload"));
                if (done.isPresent() && !partial) {
                    long size = Files.size(done.get());
                    if (size > 0 && size == lastSize) {
                        return done.get();
                    }
                    lastSize = size;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + suffix + " downloaded");
    }
}
