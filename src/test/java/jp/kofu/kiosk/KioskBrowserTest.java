package jp.kofu.kiosk;

import jp.kofu.municipality.KioskTerminals;
import jp.kofu.TestFiles;
import jp.kofu.TestNode;
import jp.kofu.browser.Chromium;
import jp.kofu.kiosk.reader.SoftwareCardReader;
import jp.kofu.demo.DemoResidents;
import jp.kofu.pki.Pem;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.text.PDFTextStripper;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole kiosk flow in headless Chromium at 1080×1920 (portrait), with software cards, against a real Kofu node
 * over mutual TLS: 本人, 世帯全員 and 世帯の一部 printed and checked (text of the right people, an intact signature of
 * the city), the PIN lock, a time-out, and a screenshot of every screen in both orientations.
 */
final class KioskBrowserTest {
    private static final Path SHOTS = Path.of(System.getProperty("kofu.kiosk.screenshots", "target/kiosk-screens"));
    private static TestNode node;
    private static Path dir;
    private static ShiftedClock clock;
    private static KioskServer kiosk;
    private static SoftwareCardReader reader;
    private static FolderPrinter printer;
    private static Chromium chromium;
    private static WebDriver browser;

    /** Real time plus an offset the test moves forward, to reach a time-out without waiting for it. */
    private static final class ShiftedClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        void advance(Duration d) {
            shift = shift.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        dir = Files.createTempDirectory("kofu-kiosk");
        clock = new ShiftedClock();
        reader = new SoftwareCardReader(node.pki().directory().resolve("cards"), node.pki().password(),
                dir.resolve("card-state"));
        printer = new FolderPrinter(dir.resolve("printed"));
        KioskSettings settings = new KioskSettings(node.uri(),
                node.pki().kioskClientKeystore(KioskTerminals.DEMO_TERMINAL), node.pki().password(), node.pki().tlsCa(),
                KioskTerminals.DEMO_TERMINAL, "112038", KioskSettings.fees(KioskCommand.DEMO_FEES), 0, KioskSettings.IDLE,
                KioskSettings.TAKE_CARD);
        kiosk = KioskServer.start(settings, reader, printer, clock);
        chromium = Chromium.start(1080, 1920);
        browser = chromium.driver();
        screen(1080, 1920);
    }

    @AfterAll
    static void stop() {
        try {
            chromium.close();
            kiosk.close();
        } finally {
            node.close();
            TestFiles.deleteRecursively(dir);
        }
    }

    @AfterEach
    void takeTheCardAway() {
        reader.remove();
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

    private static void open() {
        browser.get(kiosk.uri().toString());
        waitFor(By.id("reader"));
    }

    /** Puts the card down with the demo reader's button, as a resident would put theirs on the reader. */
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

    private static String text(By by) {
        return browser.findElement(by).getText();
    }

    /** Sets the page's viewport to exactly {@code width}×{@code height}, as the kiosk's screen. */
    private static void screen(int width, int height) {
        chromium.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** A screenshot in portrait, and the same screen in landscape. */
    private static void shoot(String name) {
        sleep(200);
        chromium.screenshot(SHOTS.resolve(name + "-1080x1920.png"));
        screen(1920, 1080);
        sleep(300);
        chromium.screenshot(SHOTS.resolve(name + "-1920x1080.png"));
        screen(1080, 1920);
        sleep(200);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Goes through the flow from the PIN to the printed page, returning the printed PDF. */
    private static byte[] printFor(String resident, String scope, List<Integer> members, boolean screenshots)
            throws Exception {
        return printFor(resident, "JUMINHYO", scope, members, List.of(), screenshots);
    }

    /**
     * The same for a certificate of {@code type}: an 印鑑登録証明書 has no scope screen; for a 記載事項証明書 the items in
     * {@code toggledItems} are switched from their defaults.
     */
    private static byte[] printFor(String resident, String type, String scope, List<Integer> members,
                                   List<String> toggledItems, boolean screenshots) throws Exception {
        Set<Path> before = printed();
        open();
        if (screenshots && type.equals("JUMINHYO")) {
            shoot("01-start");
        }
        putCard(resident);
        waitFor(By.id("pin-dots"));
        if (screenshots) {
            click(By.cssSelector("[data-key='1']"));
            click(By.cssSelector("[data-key='2']"));
            shoot("02-pin");
            click(By.cssSelector("[data-key='del']"));
            click(By.cssSelector("[data-key='del']"));
        }
        typePin(SoftwareCardReader.DEMO_PIN);
        waitFor(By.id("type-inkan"));
        boolean flowShots = screenshots && type.equals("JUMINHYO");
        if (flowShots) {
            shoot("03-certificate");
        }
        click(By.id("type-" + type.toLowerCase().replace('_', '-')));
        if (!type.equals("INKAN")) {
            waitFor(By.id("scope-SELF"));
            if (flowShots) {
                shoot("04-scope");
            }
            click(By.id("scope-" + scope));
        }
        if (scope.equals("SELECTED")) {
            waitFor(By.cssSelector("[data-member='0']"));
            for (int m : members) {
                click(By.cssSelector("[data-member='" + m + "']"));
                waiting().until(d -> "true".equals(
                        d.findElement(By.cssSelector("[data-member='" + m + "']")).getAttribute("aria-pressed")));
            }
            if (flowShots) {
                shoot("05-members");
            }
            click(By.id("next"));
        }
        waitFor(By.id("copies"));
        // An absent part of a screen once showed as the text "null".
        assertFalse(text(By.id("screen")).contains("null"), text(By.id("screen")));
        if (type.equals("INKAN")) {
            assertEquals(0, browser.findElements(By.cssSelector("[data-option], [data-item]")).size(),
                    "an 印鑑登録証明書 has no options");
        }
        for (String item : toggledItems) {
            String pressed = browser.findElement(By.cssSelector("[data-item='" + item + "']")).getAttribute("aria-pressed");
            click(By.cssSelector("[data-item='" + item + "']"));
            waiting().until(d -> !pressed.equals(
                    d.findElement(By.cssSelector("[data-item='" + item + "']")).getAttribute("aria-pressed")));
        }
        if (screenshots) {
            shoot(switch (type) {
                case "INKAN" -> "13-inkan-copies";
                case "JUMINHYO_KISAI" -> "14-kisai-items";
                default -> "06-options";
            });
        }
        click(By.id("next"));
        waitFor(By.id("summary"));
        assertEquals("200円", text(By.id("fee")), "the fee is shown before issuing");
        if (flowShots) {
            shoot("07-confirm");
        }
        click(By.id("issue"));
        waitFor(By.cssSelector("#pages img"));
        waiting().until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('#pages img')].every(i => i.complete && i.naturalWidth > 0)"));
        if (flowShots) {
            shoot("08-preview");
        }
        click(By.id("print"));
        waitFor(By.id("take-title"));
        assertEquals("証明書を印刷しました", text(By.id("take-title")));
        if (flowShots) {
            shoot("09-take-card");
        }
        Set<Path> after = printed();
        after.removeAll(before);
        assertEquals(1, after.size(), "one certificate printed");
        Path pdf = after.iterator().next();
        String number = pdf.getFileName().toString().replace(".pdf", "");
        assertEquals(1, node.count("SELECT COUNT(*) FROM issuance WHERE issuance_number = '" + number
                + "' AND status = 'PRINTED'"), "completion PRINTED reached the node");
        return Files.readAllBytes(pdf);
    }

    private static Set<Path> printed() throws Exception {
        if (!Files.isDirectory(printer.folder())) {
            return new java.util.HashSet<>();
        }
        try (Stream<Path> files = Files.list(printer.folder())) {
            return files.filter(p -> p.toString().endsWith(".pdf")).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static String pdfText(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    /** The city's PAdES signature covers the whole file, verifies (BC CMS) and chains to the dev signing CA. */
    private static void assertSignedByTheCity(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            List<PDSignature> signatures = doc.getSignatureDictionaries();
            assertEquals(1, signatures.size());
            PDSignature sig = signatures.get(0);
            int[] range = sig.getByteRange();
            assertEquals(pdf.length, range[2] + range[3], "the signature covers the whole file");
            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            signed.write(pdf, range[0], range[1]);
            signed.write(pdf, range[2], range[3]);
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(signed.toByteArray()), sig.getContents());
            SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
            X509CertificateHolder holder = (X509CertificateHolder) cms.getCertificates().getMatches(signer.getSID())
                    .iterator().next();
            assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(holder)), "CMS signature verifies");
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(holder.getEncoded()));
            PKIXParameters params = new PKIXParameters(Set.of(
                    new TrustAnchor(Pem.readCertificates(node.pki().signingCa()).get(0), null)));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
        }
    }

    // ---- the flows ----

    @Test
    void printsTheCardHoldersOwnCertificate() throws Exception {
        byte[] pdf = printFor(DemoResidents.FAMILY_HEAD, "SELF", List.of(), false);
        String text = pdfText(pdf);
        assertTrue(text.contains("この写しは、住民票の原本と相違ないことを証明する"), text);
        assertTrue(text.contains("太郎"));
        assertFalse(text.contains("花子"), "no other member");
        assertFalse(text.contains("一郎"), "no other member");
        assertSignedByTheCity(pdf);
    }

    @Test
    void printsTheWholeHousehold() throws Exception {
        byte[] pdf = printFor(DemoResidents.FAMILY_HEAD, "HOUSEHOLD_ALL", List.of(), false);
        String text = pdfText(pdf);
        assertTrue(text.contains("世帯全員の住民票の原本と相違ないことを証明する"), text);
        for (String given : List.of("太郎", "花子", "一郎", "𠮷子")) {
            assertTrue(text.contains(given), given);
        }
        assertSignedByTheCity(pdf);
    }

    @Test
    void printsTheCardHoldersSealCertificate() throws Exception {
        byte[] pdf = printFor(DemoResidents.FAMILY_HEAD, "INKAN", "SELF", List.of(), List.of(), true);
        String text = pdfText(pdf);
        assertTrue(text.contains("印鑑登録証明書") && text.contains("登録されている印影と相違ない"), text);
        assertFalse(text.contains("花子"), "本人 only");
        assertSignedByTheCity(pdf);
    }

    @Test
    void printsTheChosenItemsOfAKisai() throws Exception {
        // The defaults are 氏名, 生年月日, 性別, 住所: the resident takes 生年月日 off.
        byte[] pdf = printFor(DemoResidents.FAMILY_HEAD, "JUMINHYO_KISAI", "SELF", List.of(), List.of("BIRTH_DATE"),
                true);
        String text = pdfText(pdf);
        assertTrue(text.contains("記載事項証明書"), text);
        assertTrue(text.contains("青木二丁目"), "the address is certified");
        assertFalse(text.contains("昭和55") || text.contains("1980"), "the birth date was taken off: " + text);
        assertSignedByTheCity(pdf);
    }

    @Test
    void printsTheChosenMembersInHouseholdOrderWithScreenshots() throws Exception {
        // 花子's card; the listing is 太郎 (0), 花子 (1), 一郎 (2), 𠮷子 (3): she chooses 𠮷子 first, then 一郎.
        byte[] pdf = printFor(DemoResidents.SPOUSE, "SELECTED", List.of(3, 2), true);
        String text = pdfText(pdf);
        assertTrue(text.contains("一郎") && text.contains("𠮷子"), text);
        assertFalse(text.contains("花子"), "the card holder was not chosen");
        assertTrue(text.indexOf("一郎") < text.indexOf("𠮷子"), "household order");
        assertSignedByTheCity(pdf);
        reader.remove();
        waitFor(By.id("reader"));
    }

    @Test
    void locksTheCardAfterThreeWrongPinsAndKeepsItLocked() {
        open();
        putCard(DemoResidents.TEEN);
        typePin("0000");
        waitFor(By.id("pin-error"));
        assertTrue(text(By.id("pin-error")).contains("あと2回"), text(By.id("pin-error")));
        shoot("10-pin-wrong");
        typePin("0001");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("pin-error"), "あと1回"));
        typePin("0002");
        waitFor(By.id("take-title"));
        assertEquals("カードがロックされています", text(By.id("take-title")));
        shoot("11-locked");
        reader.remove();
        waitFor(By.id("reader"));
        putCard(DemoResidents.TEEN);
        waitFor(By.id("take-title"));
        assertEquals("カードがロックされています", text(By.id("take-title")), "the card stays locked, as a real card does");
        assertTrue(browser.findElements(By.id("pin-dots")).isEmpty(), "no PIN can be tried on a locked card");
    }

    @Test
    void timesOutToTheStartVoidsTheUnprintedIssuanceAndLeavesNothingInTheBrowser() {
        open();
        putCard(DemoResidents.FOREIGN);
        typePin(SoftwareCardReader.DEMO_PIN);
        click(By.id("type-juminhyo"));
        click(By.id("scope-SELF"));
        click(By.id("next"));
        click(By.id("issue"));
        waitFor(By.cssSelector("#pages img"));
        long printedBefore = node.count("SELECT COUNT(*) FROM issuance WHERE status = 'PRINTED'");
        long voidedBefore = node.count("SELECT COUNT(*) FROM issuance WHERE status = 'VOIDED'");
        clock.advance(KioskSettings.IDLE.plusSeconds(1));
        waitFor(By.cssSelector("#screen.take"));
        assertTrue(text(By.tagName("h1")).contains("カードをお取りください"), "the start screen asks for the card left");
        shoot("12-card-left-behind");
        assertEquals(voidedBefore + 1, node.count("SELECT COUNT(*) FROM issuance WHERE status = 'VOIDED'"),
                "the issuance not printed is voided (no fee)");
        assertEquals(printedBefore, node.count("SELECT COUNT(*) FROM issuance WHERE status = 'PRINTED'"));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertEquals(0L, js.executeScript("return localStorage.length + sessionStorage.length"));
        assertEquals("", js.executeScript("return document.cookie"));
        String page = browser.getPageSource();
        assertFalse(page.contains("SMITH") || page.contains("preview"), "nothing of the session on the page");
        assertTrue(browser.findElements(By.id("pin-dots")).isEmpty());
    }
}
