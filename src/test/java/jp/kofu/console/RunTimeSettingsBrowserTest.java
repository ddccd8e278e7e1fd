package jp.kofu.console;

import jp.kofu.TestMunicipalities;
import jp.kofu.TestNode;
import jp.kofu.console.account.StaffAccounts;
import jp.kofu.console.account.StaffRole;
import jp.kofu.municipality.MunicipalityRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run-time settings pages in a real Chromium: a 管理者 stops and resumes a certificate type; the ASP 管理者
 * reloads the municipalities file on two nodes, one of which refuses its bad file; a 管理者 without the ASP
 * permission finds no reload page.
 */
final class RunTimeSettingsBrowserTest {
    private static final String CITY = ConsoleFixtures.CITY;
    private static Path fileA;
    private static Path fileB;
    private static TestNode a;
    private static TestNode b;
    private static ConsolePages browser;

    private static String yaml(String fees) {
        return TestMunicipalities.yaml(TestMunicipalities.kawaguchi("fees: " + fees + "\n"
                + "stoppedTypes: [INKAN]\n"
                + "syncClients: [\"" + MunicipalityRegistry.DEMO_SYNC_CLIENT + "\"]"));
    }

    @BeforeAll
    static void start() throws Exception {
        fileA = TestMunicipalities.file(yaml("{ JUMINHYO: 200, JUMINHYO_KISAI: 200, INKAN: 200 }"));
        fileB = TestMunicipalities.file(yaml("{ JUMINHYO: 200, JUMINHYO_KISAI: 200, INKAN: 200 }"));
        a = TestNode.start(Map.of("kofu.municipalities-file", fileA.toString(),
                "kofu.node.name", "kofu-ap1"), null);
        b = a.sibling(Map.of("kofu.municipalities-file", fileB.toString(), "kofu.node.name", "kofu-ap2"), null);
        ConsoleFixtures.addStaff(a, CITY, "kanri", "川口 管理", StaffRole.ADMIN);
        ConsoleFixtures.addStaff(a, CITY, "asp", "ASP 運用担当", StaffRole.ADMIN);
        StaffAccounts accounts = a.context().getBean(StaffAccounts.class);
        accounts.setAspAdmin(accounts.find(CITY, "asp").orElseThrow().id(), true);
        browser = new ConsolePages(a);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        TestNode.closeAll(b, a);
        Files.deleteIfExists(fileA);
        Files.deleteIfExists(fileB);
    }

    private static String state(String type) {
        return browser.driver().findElement(By.cssSelector("tr[data-type=" + type + "] .type-state")).getText();
    }

    @Test
    void anAdministratorStopsAndResumesACertificateType() {
        browser.login("kanri", ConsoleFixtures.PASSWORD);
        assertTrue(browser.text().contains("証明書の停止・再開"), "the menu item");
        assertFalse(browser.text().contains("設定の再読み込み"), "no ASP page for a municipality's 管理者");
        browser.open("/console/certificate-types");
        assertEquals("証明書の種類の停止・再開", browser.heading());
        assertEquals("交付中", state("JUMINHYO"));
        assertEquals("停止中（設定ファイル）", state("INKAN"));
        browser.click(By.cssSelector("button[aria-label='住民票の写しの交付を停止']"));
        assertTrue(browser.text().contains("住民票の写しの交付を停止しました。"), browser.text());
        assertEquals("停止中", state("JUMINHYO"));
        assertEquals("交付中", state("JUMINHYO_KISAI"));
        browser.screenshot("30-certificate-types");
        browser.click(By.cssSelector("button[aria-label='住民票の写しの交付を再開']"));
        assertTrue(browser.text().contains("住民票の写しの交付を再開しました。"), browser.text());
        assertEquals("交付中", state("JUMINHYO"));

        browser.open("/console/settings-reload");
        assertTrue(browser.text().contains("あなたの権限では利用できません"), browser.text());
    }

    @Test
    void theAspAdministratorReloadsBothNodesAndSeesTheRefusal() throws Exception {
        Files.writeString(fileA, yaml("{ JUMINHYO: 300, JUMINHYO_KISAI: 300, INKAN: 300 }"));
        Files.writeString(fileB, yaml("{ JUMINHYO: 300, JUMINHYO_KISAI: 三百円, INKAN: 300 }"));
        browser.login("asp", ConsoleFixtures.PASSWORD);
        assertTrue(browser.text().contains("ASP 運用担当（管理者・ASP管理者）"), "the header shows the permission");
        browser.open("/console/settings-reload");
        assertEquals("設定ファイルの再読み込み（ASP）", browser.heading());
        browser.click(By.xpath("//button[text()='すべてのノードで再読み込みする']"));
        assertTrue(browser.text().contains("再読み込みを依頼しました（第1回）"), browser.text());
        long end = System.nanoTime() + 10_000_000_000L;
        do {
            Thread.sleep(500);
            browser.open("/console/settings-reload");
        } while (browser.rows().size() < 2 && System.nanoTime() < end);
        assertEquals("読み込み済み", browser.driver().findElement(By.cssSelector("tr[data-node=kofu-ap1] .result"))
                .getText());
        assertEquals("拒否（前の設定のまま）", browser.driver().findElement(
                By.cssSelector("tr[data-node=kofu-ap2] .result")).getText());
        assertTrue(browser.text().contains("municipalities[0].fees.JUMINHYO_KISAI: expected a whole number of yen"),
                browser.text());
        browser.screenshot("31-settings-reload");
    }
}
