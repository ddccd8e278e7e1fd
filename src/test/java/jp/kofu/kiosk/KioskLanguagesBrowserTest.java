package jp.kofu.kiosk;

import com.fasterxml.jackson.databind.JsonNode;
import jp.kofu.TestFiles;
import jp.kofu.TestNode;
import jp.kofu.browser.Chromium;
import jp.kofu.client.CenterClient;
import jp.kofu.contract.Json;
import jp.kofu.demo.DemoResidents;
import jp.kofu.kiosk.reader.SoftwareCardReader;
import jp.kofu.municipality.KioskTerminals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kiosk's languages and its 戸籍 screens in headless Chromium, with software cards, against a real Kofu node.
 * The node does not yet answer the 戸籍 endpoints of contract §9 ({@code koseki-registrations}, {@code koseki-members}):
 * the 戸籍 kiosk reaches a small fake of those, in this test, which checks each card-signed request's signature and
 * payload as the contract has them, and passes every other call to the node.
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
    private static FakeKoseki fake;
    private static Chromium chromium;
    private static WebDriver browser;

    /** §9's 戸籍 endpoints as the contract has them; everything else goes to the node. */
    private static final class FakeKoseki implements KofuConnection.Transport {
        final KofuConnection.Transport node;
        final List<JsonNode> registrations = new CopyOnWriteArrayList<>();
        final List<JsonNode> listings = new CopyOnWriteArrayList<>();
        final Map<String, String> status = new ConcurrentHashMap<>();

        FakeKoseki(KofuConnection.Transport node) {
            this.node = node;
        }

        @Override
        public CenterClient.Response post(String path, byte[] body) throws java.io.IOException, InterruptedException {
            if (path.equals("/center/v1/koseki-registrations")) {
                JsonNode payload = signedPayload(body);
                assertEquals("KOSEKI_REGISTRATION", payload.path("certificateType").asText());
                registrations.add(payload);
                String id = "KR-" + (100000 + registrations.size());
                status.put(id, "PENDING");
                return answer(202, Map.of("registrationId", id));
            }
            if (path.equals("/center/v1/koseki-members")) {
                JsonNode payload = signedPayload(body);
                assertEquals("KOSEKI_LISTING", payload.path("certificateType").asText());
                listings.add(payload);
                return answer(200, Map.of("members", List.of(
                        Map.of("memberId", "KM-1", "displayName", "川口 太郎", "relationship", "筆頭者"),
                        Map.of("memberId", "KM-2", "displayName", "川口 花子", "relationship", "妻"))));
            }
            return node.post(path, body);
        }

        @Override
        public CenterClient.Response get(String path) throws java.io.IOException, InterruptedException {
            String prefix = "/center/v1/koseki-registrations/";
            if (path.startsWith(prefix)) {
                String id = path.substring(prefix.length());
                return status.containsKey(id) ? answer(200, Map.of("registrationId", id, "status", status.get(id)))
                        : answer(404, Map.of("code", "NOT_FOUND", "message", "見つかりません。"));
            }
            return node.get(path);
        }

        /** The card-signed request of §2: its RS256 signature verifies with the card's certificate in x5c. */
        private static JsonNode signedPayload(byte[] body) {
            try {
                JsonNode request = Json.MAPPER.readTree(body);
                assertTrue(request.path("centerTransactionId").asText().startsWith("K-"));
                String[] jws = request.path("cardRequest").asText().split("\\.");
                JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jws[0]));
                assertEquals("RS256", header.path("alg").asText());
                X509Certificate card = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(header.path("x5c").get(0).asText())));
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initVerify(card.getPublicKey());
                rsa.update((jws[0] + "." + jws[1]).getBytes(StandardCharsets.US_ASCII));
                assertTrue(rsa.verify(Base64.getUrlDecoder().decode(jws[2])), "signed by the card");
                JsonNode payload = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jws[1]));
                assertEquals("KIOSK", payload.path("channel").asText());
                assertEquals(KioskTerminals.DEMO_TERMINAL, payload.path("terminalId").asText());
                assertEquals("112038", payload.path("municipalityCode").asText());
                return payload;
            } catch (Exception e) {
                throw new AssertionError("not a card-signed request of contract §2", e);
            }
        }

        private static CenterClient.Response answer(int status, Object body) {
            return new CenterClient.Response(status, Json.bytes(body));
        }
    }

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
        fake = new FakeKoseki(KofuConnection.Transport.of(
                new CenterClient(node.uri(), keystore, node.pki().password(), node.pki().tlsCa())));
        kosekiKiosk = KioskServer.start(settings("JUMINHYO=200,KOSEKI_ZENBU=450,KOSEKI_KOJIN=450,KOSEKI_FUHYO=300",
                keystore), kosekiReader, new FolderPrinter(dir.resolve("printed-koseki")), Clock.systemUTC(), fake);
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
        return new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class);
    }

    private static void waitFor(By by) {
        waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void click(By by) {
        waiting().until(d -> {
            WebElement e = d.findElement(by);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        });
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
        int before = fake.listings.size();
        click(By.id("scope-SELECTED"));
        waitFor(By.cssSelector("[data-member='1']"));
        assertEquals(before + 1, fake.listings.size(), "the card-signed KOSEKI_LISTING reached Kofu");
        assertTrue(text(By.cssSelector("[data-member='1']")).contains("川口 花子"));
        click(By.cssSelector("[data-member='1']"));
        click(By.id("next"));
        waitFor(By.id("copies"));
        assertEquals(0, browser.findElements(By.cssSelector("[data-option], [data-item]")).size(), "no options");
        click(By.id("next"));
        waitFor(By.id("summary"));
        assertTrue(text(By.id("summary")).contains("川口 花子"), text(By.id("summary")));
        assertEquals("¥450", text(By.id("fee")));
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
        assertEquals(1, fake.registrations.size());
        JsonNode sent = fake.registrations.get(0);
        assertEquals("埼玉県川口市青木二丁目1番", sent.path("honseki").asText());
        assertEquals("川口 太郎", sent.path("hittosha").asText());
        assertEquals("川口 花子", sent.path("name").asText());
        assertEquals("1982-07-15", sent.path("birthDate").asText());
        String id = text(By.id("registration-id"));
        assertEquals("KR-100001", id);
        assertTrue(text(By.id("screen")).contains("承認まで数日"), "approval takes a few business days");
        shoot("25-registration-sent");

        click(By.id("registered-status"));
        click(By.cssSelector("[data-registration='" + id + "']"));
        waitFor(By.id("registration-result"));
        assertEquals(id + "：審査中です。承認まで数日かかります。", text(By.id("registration-result")));
        fake.status.put(id, "APPROVED");
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
