package jp.kofu.console;

import jp.kofu.client.CenterClient;
import jp.kofu.console.account.StaffRole;
import jp.kofu.contract.Json;
import jp.kofu.koseki.registration.RegistrationNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 本籍地 利用登録申請 reviewed in Debian's headless Chromium: a 管理者 grants the 戸籍 review permission, the reviewer
 * sees the queue (oldest first, with the applied fields), approves one (the 戸籍システム simulator finds the person),
 * rejects one with a reason, is told when the person is not found and when the 戸籍システム is down; the applicant's
 * card then answers its person key, and every step is in the staff action log.
 */
final class KosekiReviewBrowserTest {
    private static final String A = RegistrationNode.A;
    private static RegistrationNode reg;
    private static ConsolePages browser;

    @BeforeAll
    static void start() throws Exception {
        reg = RegistrationNode.start(Map.of("kofu.console.login-attempts-per-address-per-minute", 10_000));
        ConsoleFixtures.addStaff(reg.node, A, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(reg.node, A, "shinsa", "川口 審査", StaffRole.VIEWER);
        browser = new ConsolePages(reg.node);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        reg.close();
    }

    private static String status(String id) throws Exception {
        CenterClient.Response r = reg.node.center().get("/center/v1/koseki-registrations/" + id);
        assertEquals(200, r.status(), r.text());
        return Json.MAPPER.readTree(r.body()).get("status").asText();
    }

    private static Optional<WebElement> row(String id) {
        return browser.rows().stream().filter(r -> id.equals(r.getAttribute("data-registration"))).findFirst();
    }

    private static long actions(String where) {
        return reg.count("SELECT COUNT(*) FROM staff_action_log WHERE municipality_code = '" + A + "' AND " + where);
    }

    @Test
    void aReviewerGrantedByTheAdministratorApprovesAndRejectsApplications() throws Exception {
        String good = reg.apply(reg.card("browser-good"), RegistrationNode.payload());
        var nobodyPayload = RegistrationNode.payload();
        nobodyPayload.put("name", "川口　次郎");
        String nobody = reg.apply(reg.card("browser-nobody"), nobodyPayload);
        String doubtful = reg.apply(reg.card("browser-doubtful"), RegistrationNode.payload());

        // without the permission: no menu item, and the page is refused
        browser.login("shinsa", ConsoleFixtures.PASSWORD);
        assertTrue(browser.driver().findElements(By.linkText("利用登録の審査")).isEmpty());
        browser.open("/console/koseki-registrations");
        assertEquals("操作を受け付けませんでした", browser.heading());
        assertFalse(browser.text().contains(RegistrationNode.HONSEKI));

        // a 管理者 grants it on the staff page (and does not hold it by being 管理者)
        browser.login("kanri", ConsoleFixtures.PASSWORD);
        assertTrue(browser.driver().findElements(By.linkText("利用登録の審査")).isEmpty());
        browser.open("/console/staff");
        browser.click(By.cssSelector("button[aria-label='川口 審査さんに戸籍審査の権限を付与']"));
        assertTrue(browser.text().contains("川口 審査さんの戸籍審査（本籍地 利用登録申請）の権限を付与しました。"),
                browser.text());
        browser.screenshot("koseki-01-grant");

        // the queue, oldest first, with the applied fields
        browser.login("shinsa", ConsoleFixtures.PASSWORD);
        assertEquals("本籍地 利用登録申請の審査", browser.click(By.linkText("利用登録の審査")));
        List<String> order = browser.rows().stream().map(r -> r.getAttribute("data-registration")).toList();
        assertEquals(List.of(good, nobody, doubtful), order);
        WebElement first = row(good).orElseThrow();
        assertEquals(RegistrationNode.HONSEKI, first.findElement(By.className("honseki")).getText());
        assertEquals(RegistrationNode.HITTOSHA, first.findElement(By.className("hittosha")).getText());
        assertEquals("昭和55年4月1日（1980-04-01）", first.findElement(By.className("birth")).getText());
        browser.screenshot("koseki-02-queue");

        // approve: the 戸籍システム finds K-0101
        browser.click(By.cssSelector("button[aria-label='申請 " + good + " を承認']"));
        assertTrue(browser.text().contains("申請 " + good + " を承認しました。"), browser.text());
        assertTrue(row(good).isEmpty());
        assertEquals("APPROVED", status(good));
        assertEquals(Optional.of(RegistrationNode.PERSON_KEY), reg.approvedPersonKey(A, reg.card("browser-good")));
        browser.screenshot("koseki-03-approved");

        // reject with a reason
        browser.select("reason-" + doubtful, "IDENTITY_UNCONFIRMED");
        browser.click(By.cssSelector("button[aria-label='申請 " + doubtful + " を却下']"));
        assertTrue(browser.text().contains("申請 " + doubtful + " を却下しました（理由：本人であることを確認できない）。"),
                browser.text());
        assertTrue(row(doubtful).isEmpty());
        assertEquals("REJECTED", status(doubtful));
        assertEquals(Optional.empty(), reg.approvedPersonKey(A, reg.card("browser-doubtful")));

        // a person the 戸籍システム does not know: not approved, still waiting
        browser.click(By.cssSelector("button[aria-label='申請 " + nobody + " を承認']"));
        assertTrue(browser.text().contains("戸籍システムで見つかりませんでした"), browser.text());
        assertTrue(row(nobody).isPresent());
        assertEquals("PENDING", status(nobody));
        browser.screenshot("koseki-04-not-found");

        // the 戸籍システム is down: a clear message, nothing decided
        reg.stopSimulator();
        browser.click(By.cssSelector("button[aria-label='申請 " + nobody + " を承認']"));
        assertTrue(browser.text().contains("戸籍システムに接続できないため"), browser.text());
        assertTrue(row(nobody).isPresent());
        assertEquals("PENDING", status(nobody));
        browser.screenshot("koseki-05-unavailable");

        // every step in the staff action log; none of the applied fields
        assertEquals(1, actions("staff_login = 'kanri' AND action = 'STAFF_GRANT_KOSEKI_REVIEW' AND target = 'shinsa'"));
        assertEquals(1, actions("staff_login = 'shinsa' AND action = 'FORBIDDEN' AND outcome = 'DENIED'"));
        assertTrue(actions("staff_login = 'shinsa' AND action = 'KOSEKI_QUEUE' AND result_count = 3") >= 1);
        assertEquals(1, actions("staff_login = 'shinsa' AND action = 'KOSEKI_APPROVE' AND outcome = 'OK'"
                + " AND target = '" + good + "' AND filters = 'lookup=FOUND'"));
        assertEquals(1, actions("staff_login = 'shinsa' AND action = 'KOSEKI_REJECT' AND outcome = 'OK'"
                + " AND target = '" + doubtful + "' AND filters = 'reason=IDENTITY_UNCONFIRMED'"));
        assertEquals(1, actions("staff_login = 'shinsa' AND action = 'KOSEKI_APPROVE' AND outcome = 'FAILED'"
                + " AND target = '" + nobody + "' AND filters = 'lookup=NOT_FOUND'"));
        assertEquals(1, actions("staff_login = 'shinsa' AND action = 'KOSEKI_APPROVE' AND outcome = 'FAILED'"
                + " AND target = '" + nobody + "' AND filters LIKE 'lookup=UNAVAILABLE:%'"));
        assertEquals(0, reg.count("SELECT COUNT(*) FROM staff_action_log WHERE CONCAT_WS(' ', filters, target,"
                + " resident_id) LIKE '%川口%' OR CONCAT_WS(' ', filters, target) LIKE '%1980%'"));

        // the staff action log page names the new actions in Japanese (監査者 and above)
        browser.login("kanri", ConsoleFixtures.PASSWORD);
        browser.open("/console/staff-actions");
        assertTrue(browser.text().contains("利用登録申請の承認"), browser.text());
        assertTrue(browser.text().contains("利用登録申請の却下"), browser.text());
    }
}
