package jp.kofu.kiosk;

import jp.kofu.TestFiles;
import jp.kofu.TestNode;
import jp.kofu.db.Database;
import jp.kofu.koseki.registration.KosekiRegistrations;
import jp.kofu.koseki.sim.KosekiSimulator;
import jp.kofu.browser.Chromium;
import jp.kofu.demo.DemoResidents;
import jp.kofu.kiosk.reader.SoftwareCardReader;
import jp.kofu.municipality.KioskTerminals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kiosk's languages and its 戸籍 screens in headless Chromium, with software cards, against a real Kofu node of
 * the demo municipality, whose 戸籍 link reaches the 戸籍システム simulator (contract §9: {@code koseki-members},
 * {@code koseki-registrations} and their status are the node's own).
 */
final class KioskLanguagesBrowserTest {
    private static final Path SHOTS = Path.of(System.getProperty("kofu.kiosk.screenshots", "target/kiosk-screens"));
    private static TestNode node;
    private static Path dir;
    /** The demo city's kiosk (住民票, 記載事項証明書, 印鑑登録証明書), and one of a city that also offers 戸籍. */
    private static KioskServer kiosk;
    private static KioskServer kosekiKiosk;
    private static SoftwareCardReader reader;
    private static SoftwareCardReader kosekiReader;
    /** The demo city's 戸籍システム: the simulator on the port the demo municipality's link points at. */
    private static KosekiSimulator koseki;
    private static Chromium chromium;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        dir = Files.createTempDirectory("kofu-kiosk-languages");
        Path cards = node.pki().directory().resolve("cards");
        reader = new SoftwareCardReader(cards, node.pki().password(), dir.resolve("card-state"));
        kosekiReader = new SoftwareCardReader(cards, node.pki().password(), dir.resolve("koseki-card-state"));
        Path keystore = node.pki().kioskClientKeystore(KioskTerminals.DEMO_TERMINAL);
        kiosk = KioskServer.start(settings(KioskCommand.DEMO_FEES, keystore), reader,
                new FolderPrinter(dir.resolve("printed")), Clock.systemUTC());
        koseki = KosekiSimulator.start(node.pki(), KosekiSimulator.DEFAULT_PORT);
        kosekiKiosk = KioskServer.start(settings("JUMINHYO=200,KOSEKI_ZENBU=450,KOSEKI_KOJIN=450,KOSEKI_FUHYO=300",
                keystore), kosekiReader, new FolderPrinter(dir.resolve("printed-koseki")), Clock.systemUTC());
        chromium = Chromium.start(1080, 1920);
        browser = chromium.driver();
        screen(1080, 1920);
    }

    private static KioskSettings settings(String fees, Path keystore) {
        return new KioskSettings(node.uri(), keystore, node.pki().password(), node.pki().tlsCa(),
                KioskTerminals.DEMO_TERMINAL, "112038", KioskSettings.fees(fees), 0, KioskSettings.IDLE,
                KioskSettings.TAKE_CARD);
    }

    @AfterAll
    static void stop() {
        try {
            chromium.close();
            kiosk.close();
            kosekiKiosk.close();
        } finally {
            if (koseki != null) {
                koseki.close();
            }
            node.close();
            TestFiles.deleteRecursively(dir);
        }
    }

    @AfterEach
    void takeTheCardsAway() {
        reader.remove();
        kosekiReader.remove();
        waitFor(By.id("reader"));
    }

    // ---- helpers ----

    private static FluentWait<WebDriver> waiting() {
        return chromium.waiting();
    }

    private static void waitFor(By by) {
        chromium.waitFor(by);
    }

    private static void click(By by) {
        chromium.click(by);
    }

    private static void open(KioskServer server) {
        browser.get(server.uri().toString());
        waitFor(By.id("reader"));
    }

    private static void putCard(String resident) {
        click(By.cssSelector("[data-card='" + resident + "']"));
    }

    private static void typePin(String pin) {
        waitFor(By.id("pin-dots"));
        for (char d : pin.toCharArray()) {
            click(By.cssSelector("[data-key='" + d + "']"));
        }
        click(By.id("pin-ok"));
    }

    private static void waitForText(By by, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    private static String text(By by) {
        return browser.findElement(by).getText();
    }

    private static String htmlLang() {
        return (String) ((JavascriptExecutor) browser).executeScript("return document.documentElement.lang");
    }

    private static void type(String field, String value) {
        WebElement input = browser.findElement(By.id(field));
        input.clear();
        input.sendKeys(value);
    }

    /** A screenshot in portrait, and the same screen in landscape. */
    private static void shoot(String name) {
        pause(200);
        chromium.screenshot(SHOTS.resolve(name + "-1080x1920.png"));
        screen(1920, 1080);
        pause(300);
        chromium.screenshot(SHOTS.resolve(name + "-1920x1080.png"));
        screen(1080, 1920);
        pause(200);
    }

    private static void screen(int width, int height) {
        chromium.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the tests ----

    @Test
    void showsTheNextScreenInTheLanguageChosenAndIsInJapaneseAgainAfterTheSession() {
        // Each language: the start screen's lead, then the PIN screen's title, as written in its catalogue.
        Map<String, String[]> known = new java.util.LinkedHashMap<>();
        known.put("ja-easy", new String[] {"ja", "マイナンバーカード を した の きかい に おいて ください。",
                "あんしょう ばんごう を おして ください"});
        known.put("en", new String[] {"en", "Place your My Number Card on the card reader below.", "Enter your PIN"});
        known.put("zh-Hans", new String[] {"zh-Hans", "请将个人编号卡（My Number卡）放在下方的读卡器上。", "请输入密码"});
        known.put("ko", new String[] {"ko", "마이넘버 카드를 아래 판독기에 올려 놓으십시오.", "비밀번호를 입력하십시오"});
        known.put("pt", new String[] {"pt-BR", "Coloque o seu My Number Card no leitor abaixo.", "Digite a senha"});
        known.put("vi", new String[] {"vi", "Hãy đặt thẻ My Number của bạn lên máy đọc thẻ bên dưới.", "Nhập mã PIN"});
        known.put("ja", new String[] {"ja", "マイナンバーカードを、下の読み取り機に置いてください。", "暗証番号を入力してください"});
        open(kiosk);
        assertEquals(KioskLanguages.IDS.size(), browser.findElements(By.cssSelector("#languages [data-lang]")).size());
        assertEquals("한국어", text(By.cssSelector("[data-lang='ko']")), "each button in its own language");
        assertEquals("Tiếng Việt", text(By.cssSelector("[data-lang='vi']")));
        // Vietnamese from a Latin font that has all its letters, even on the Japanese start screen.
        String viFont = (String) ((JavascriptExecutor) browser).executeScript(
                "return getComputedStyle(document.querySelector(\"[data-lang='vi']\")).fontFamily");
        assertTrue(viFont.indexOf("DejaVu Sans") >= 0 && viFont.indexOf("DejaVu Sans") < viFont.indexOf("IPAexGothic"),
                viFont);
        for (var language : known.entrySet()) {
            String[] expected = language.getValue();
            click(By.cssSelector("[data-lang='" + language.getKey() + "']"));
            waitForText(By.id("start-lead"), expected[1]);
            assertEquals(expected[0], htmlLang(), "html lang for " + language.getKey());
            if (language.getKey().equals("en")) {
                shoot("20-start-en");
            }
            putCard(DemoResidents.FAMILY_HEAD);
            waitForText(By.id("pin-title"), expected[2]);
            assertEquals(expected[0], htmlLang());
            if (language.getKey().equals("vi")) {
                shoot("21-pin-vi");
            }
            reader.remove();
            // The session is over: the next resident finds the kiosk in 日本語.
            waitForText(By.id("start-lead"), "マイナンバーカードを、下の読み取り機に置いてください。");
            assertEquals("ja", htmlLang());
        }
        // A card put down first: the language can still be chosen on the PIN screen.
        putCard(DemoResidents.SPOUSE);
        waitForText(By.id("pin-title"), "暗証番号を入力してください");
        click(By.cssSelector("[data-lang='pt']"));
        waitForText(By.id("pin-title"), "Digite a senha");
        assertEquals("pt-BR", htmlLang());
    }

    @Test
    void showsKofusRefusalInEnglishWhenEnglishWasChosen() {
        open(kiosk);
        click(By.cssSelector("[data-lang='en']"));
        waitForText(By.id("start-lead"), "Place your My Number Card");
        // A resident under a support measure: Kofu answers 422 NOT_ISSUABLE (contract §5), as for any block.
        putCard(DemoResidents.BLOCKED);
        typePin(SoftwareCardReader.DEMO_PIN);
        waitFor(By.id("type-juminhyo"));
        assertTrue(text(By.id("type-juminhyo")).contains("住民票の写し (Certificate of Residence)"),
                text(By.id("type-juminhyo")));
        click(By.id("type-juminhyo"));
        click(By.id("scope-SELF"));
        click(By.id("next"));
        waitFor(By.id("summary"));
        assertEquals("¥200", text(By.id("fee")));
        assertEquals("The certificate is printed in Japanese.", text(By.id("japanese-note")));
        click(By.id("issue"));
        waitFor(By.id("take-title"));
        assertEquals("The certificate could not be issued", text(By.id("take-title")));
        assertEquals("This certificate cannot be issued here. Please ask at the city hall counter. "
                + "Please take your My Number Card.", text(By.id("take-message")));
        shoot("22-refused-en");
        assertFalse(text(By.id("screen")).contains("窓口"), "not Kofu's Japanese message");
    }

    @Test
    void offersTheKosekiCertificatesOnlyWhereTheCityOffersThem() {
        open(kiosk);
        putCard(DemoResidents.FAMILY_HEAD);
        typePin(SoftwareCardReader.DEMO_PIN);
        waitFor(By.id("type-juminhyo"));
        assertTrue(browser.findElements(By.id("koseki-menu")).isEmpty(), "no 戸籍 where the city offers none");
        assertTrue(browser.findElements(By.id("type-koseki-zenbu")).isEmpty());
        assertTrue(browser.findElements(By.id("koseki-register")).isEmpty());
        reader.remove();
        waitFor(By.id("reader"));

        open(kosekiKiosk);
        click(By.cssSelector("[data-lang='en']"));
        waitForText(By.id("start-lead"), "Place your My Number Card");
        putCard(DemoResidents.FAMILY_HEAD);
        typePin(SoftwareCardReader.DEMO_PIN);
        waitFor(By.id("koseki-menu"));
        for (String type : List.of("zenbu", "kojin", "fuhyo")) {
            assertTrue(browser.findElement(By.id("type-koseki-" + type)).isDisplayed(), type);
        }
        assertTrue(text(By.id("type-koseki-zenbu")).contains("戸籍全部事項証明書 (Family Register, all entries)"));
        assertTrue(browser.findElement(By.id("koseki-register")).isDisplayed());
        shoot("23-koseki-menu-en");
        // 個人事項証明書 of persons of the same 戸籍: chosen from the 戸籍 listing, as the household for a 住民票.
        click(By.id("type-koseki-kojin"));
        waitFor(By.id("scope-SELECTED"));
        assertTrue(browser.findElements(By.id("scope-HOUSEHOLD_ALL")).isEmpty(), "no 世帯全員 for a 戸籍");
        long before = listings();
        click(By.id("scope-SELECTED"));
        waitFor(By.cssSelector("[data-member='1']"));
        assertEquals(before + 1, listings(), "the card-signed KOSEKI_LISTING reached Kofu");
        assertTrue(spaceless(text(By.cssSelector("[data-member='1']"))).contains("川口花子"), "from the 戸籍システム");
        click(By.cssSelector("[data-member='1']"));
        click(By.id("next"));
        waitFor(By.id("copies"));
        assertEquals(0, browser.findElements(By.cssSelector("[data-option], [data-item]")).size(), "no options");
        click(By.id("next"));
        waitFor(By.id("summary"));
        assertTrue(spaceless(text(By.id("summary"))).contains("川口花子"), text(By.id("summary")));
        assertEquals("¥450", text(By.id("fee")));
    }

    private static long listings() {
        return node.count("SELECT COUNT(*) FROM issuance_log WHERE endpoint = 'KOSEKI_LISTING' AND result = 'LISTED'");
    }

    private static String spaceless(String text) {
        return text.replaceAll("[\\p{Z}\\s]", "");
    }

    @Test
    void sendsARegistrationShowsItsIdAndChecksItsStatus() {
        open(kosekiKiosk);
        putCard(DemoResidents.SPOUSE);
        typePin(SoftwareCardReader.DEMO_PIN);
        click(By.id("koseki-register"));
        waitFor(By.id("form-honseki"));
        type("form-honseki", "埼玉県川口市青木二丁目1番");
        type("form-hittosha", "川口 太郎");
        // No name yet: the form says so and keeps what was typed.
        type("form-year", "1982");
        type("form-month", "7");
        type("form-day", "15");
        click(By.id("next"));
        waitFor(By.id("form-error"));
        assertEquals("本籍、筆頭者、氏名のすべてを入力してください。", text(By.id("form-error")));
        assertEquals("埼玉県川口市青木二丁目1番", browser.findElement(By.id("form-honseki")).getAttribute("value"));
        type("form-name", "川口 花子");
        shoot("24-registration-form");
        click(By.id("next"));
        waitFor(By.id("register-send"));
        String summary = text(By.id("summary"));
        assertTrue(summary.contains("川口 花子") && summary.contains("1982-07-15"), summary);
        click(By.id("register-send"));
        waitFor(By.id("registration-id"));
        String id = text(By.id("registration-id"));
        assertTrue(id.matches("KR-[A-Za-z0-9_-]{24}"), id);
        // Kofu holds the application as the kiosk sent it, card-signed (contract §9), pending review.
        assertEquals(1, node.count("SELECT COUNT(*) FROM koseki_registration WHERE registration_id = '" + id
                + "' AND status = 'PENDING' AND honseki = '埼玉県川口市青木二丁目1番' AND hittosha = '川口 太郎'"
                + " AND name = '川口 花子' AND birth_date = '1982-07-15'"));
        assertTrue(text(By.id("screen")).contains("承認まで数日"), "approval takes a few business days");
        shoot("25-registration-sent");

        click(By.id("registered-status"));
        click(By.cssSelector("[data-registration='" + id + "']"));
        waitFor(By.id("registration-result"));
        assertEquals(id + "：審査中です。承認まで数日かかります。", text(By.id("registration-result")));
        KosekiRegistrations registrations = node.context().getBean(KosekiRegistrations.class);
        assertTrue(node.context().getBean(Database.class).<Boolean>inTransaction(c -> registrations.approve(c,
                "112038", id, "K-0102", "test", java.time.Instant.now())), "staff approve it");
        type("registration-input", "KR-999999");
        click(By.id("registration-check"));
        waitForText(By.id("registration-result"), "見つかりません");
        type("registration-input", id);
        click(By.id("registration-check"));
        waitForText(By.id("registration-result"), "承認されました");
        shoot("26-registration-status");
        // A typed id that could bend the path never leaves the kiosk.
        type("registration-input", "../issuances");
        click(By.id("registration-check"));
        waitForText(By.id("registration-result"), "見つかりません");
    }
}
