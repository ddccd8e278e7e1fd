package jp.kofu.demo;

import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.validation.reports.Reports;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.pdf.JuminhyoContent;
import jp.kofu.pdf.PdfAValidation;
import jp.kofu.pki.DevPki;
import jp.kofu.pki.Pem;
import jp.kofu.replica.ResidentRecord;
import jp.kofu.signing.DssValidation;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;

import jp.kofu.pdf.CertificatePrinter;
import jp.kofu.pdf.KisaiContent;
import jp.kofu.pdf.KisaiItem;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.signing.DocumentSigner;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every sample case (docs/samples): what its text says, and that each page still looks like the approved image
 * within a tolerance. A page that does not writes a diff image under target/sample-diffs. After a deliberate change
 * of the form, run {@code java -jar target/kofu.jar samples}, look at the new PNGs, and commit them.
 */
final class SamplesTest {
    private static final Path APPROVED = Path.of("docs/samples");
    private static final Map<String, List<String>> EXPECTED_TEXT = Map.ofEntries(
            Map.entry("household-6-two-sheets", List.of("世帯全員の住民票の原本と相違ない", "邊造", "以下余白")),
            Map.entry("household-all-options", List.of("個人番号", "住民票コード", "本籍", "筆頭者", "続柄")),
            Map.entry("self-no-options", List.of("この写しは、住民票の原本と相違ないことを証明する")),
            Map.entry("former-surname", List.of("旧氏", "髙橋")),
            Map.entry("foreign-resident-alias", List.of("通称", "山﨑", "国籍・地域", "在留カード等番号", "1990年1月20日生")),
            Map.entry("household-part", List.of("世帯の一部の住民票の原本と相違ない", "𠮷子")),
            Map.entry("long-address", List.of("札幌市役所前通り再開発地区", "ワーレジデンス札幌北一条")),
            Map.entry("ivs-name", List.of("渡", "乃", "わたなべ", "くずの")),
            Map.entry("kojin-household", List.of("世帯全員の住民票の原本と相違ない", "令和8年11月23日（2026年11月23日）",
                    "花子", "個人番号", "1/4", "4/4")),
            Map.entry("kojin-foreign-resident", List.of("法第30条の45に規定する区分", "中長期在留者", "1990年1月20日生")),
            Map.entry("self-black-seal", List.of("この印は黒色です", "住民票の原本と相違ない")),
            Map.entry("kisai-household-default-items", List.of("住民票記載事項証明書", "上記の事項は、住民票に記載されている事項と相違ない",
                    "生年月日", "男女の別", "住所", "𠮷子", "髙橋", "以下余白")),
            Map.entry("kisai-all-items", List.of("世帯主", "続柄", "住民となった日", "住所を定めた日", "本籍", "筆頭者", "旧氏")),
            Map.entry("kisai-kojin-default-items", List.of("住民票記載事項証明書", "通称", "山﨑", "1990年1月20日生",
                    "令和8年11月23日（2026年11月23日）")),
            Map.entry("kisai-kojin-all-items", List.of("住民となった年月日", "住所を定めた年月日", "本籍", "1/2", "2/2")),
            Map.entry("inkan", List.of("印鑑登録証明書", "この写しは、登録されている印影と相違ないことを証明する", "印影",
                    "太郎", "昭和55年4月1日生", "男女の別", "男", "埼玉県川口市青木二丁目1番1号", "00012345")),
            Map.entry("inkan-former-surname-no-sex", List.of("旧氏", "髙橋", "登録氏名", "00012346")),
            Map.entry("inkan-alias-black-seal", List.of("通称", "山﨑", "1990年1月20日生", "この印は黒色です")),
            Map.entry("koseki-zenbu-two-sheets", List.of("全部事項証明", "これは、戸籍に記録されている事項の全部を証明した書面である。",
                    "【編製日】昭和57年5月10日", "【名】𠮷子", "【名】一郎", "【婚姻日】平成26年10月10日", "1/2", "2/2", "以下余白")),
            Map.entry("koseki-kojin-one-person", List.of("個人事項証明",
                    "これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。", "【名】𠮷子", "川口 太郎")),
            Map.entry("koseki-kojin-ivs-name", List.of("個人事項証明", "𠮷男", "髙子", "【出生日】平成2年7月7日")),
            Map.entry("koseki-fuhyo-with-domicile", List.of("戸籍の附票の写し", "この写しは、戸籍の附票の原本と相違ないことを証明する。",
                    "本籍", "筆頭者", "【男女の別】女", "【住所を定めた年月日】平成16年3月6日")),
            Map.entry("koseki-fuhyo-without-domicile", List.of("戸籍の附票の写し", "【氏名】川口 太郎",
                    "【住所】埼玉県川口市青木二丁目1番1号")));
    /** Words that only the optional items print. */
    private static final List<String> NEVER_ON_KISAI_OR_INKAN = List.of("個人番号", "住民票コード", "在留カード等番号");
    private static CertificatePrinter printer;
    private static DocumentSigner signer;
    private static X509Certificate signingCa;

    @BeforeAll
    static void setUp() throws Exception {
        printer = new CertificatePrinter();
        Path work = Files.createTempDirectory("kofu-samples-test");
        signer = Samples.signer(work);
        signingCa = Pem.readCertificates(DevPki.open(work.resolve("dev-pki"), Clock.systemUTC()).signingCa()).get(0);
    }

    @Test
    void everySampleSaysWhatItShouldAndLooksAsApproved() throws Exception {
        for (Samples.Case c : Samples.cases()) {
            PrintOutcome outcome = printer.print(c.content(), signer);
            assertTrue(outcome instanceof PrintOutcome.Printed, c.name() + ": " + outcome);
            byte[] pdf = ((PrintOutcome.Printed) outcome).signedPdf();
            String text;
            try (PDDocument doc = Loader.loadPDF(pdf)) {
                text = new PDFTextStripper().getText(doc);
            }
            for (String expected : EXPECTED_TEXT.get(c.name())) {
                assertTrue(text.contains(expected), c.name() + " prints " + expected);
            }
            if (c.content() instanceof JuminhyoContent j) {
                if (!j.items().individualNumber()) {
                    assertFalse(text.contains("個人番号"), c.name() + " has no 個人番号");
                }
            } else {
                for (String never : NEVER_ON_KISAI_OR_INKAN) {
                    assertFalse(text.contains(never), c.name() + " has no " + never);
                }
            }
            List<String> pdfA = PdfAValidation.failures(pdf);
            assertTrue(pdfA.isEmpty(), c.name() + " is PDF/A-2b: " + pdfA);
            Reports reports = DssValidation.validate(pdf, signingCa);
            String id = reports.getSimpleReport().getFirstSignatureId();
            assertEquals(SignatureLevel.PAdES_BASELINE_B, reports.getSimpleReport().getSignatureFormat(id), c.name());
            var signature = reports.getDiagnosticData().getSignatureById(id);
            assertTrue(signature.isSignatureIntact() && signature.isSignatureValid(), c.name() + " signature intact");
            assertTrue(signature.isTrustedChain(), c.name() + " chains to the test signing CA");
            List<BufferedImage> pages = Samples.pages(pdf, 60);
            for (int i = 0; i < pages.size(); i++) {
                Path approved = APPROVED.resolve(c.name() + "-" + (i + 1) + ".png");
                assertTrue(Files.isRegularFile(approved), "approved image " + approved);
                compare(c.name() + "-" + (i + 1), ImageIO.read(approved.toFile()), pages.get(i));
            }
        }
    }

    @Test
    void theSixPersonHouseholdTakesTwoSheets() {
        Samples.Case six = Samples.cases().get(0);
        assertEquals(2, ((PrintOutcome.Printed) printer.print(six.content(), signer)).pageCount());
    }

    // The 個人票 printed its 認証文 (and 公印) on every sheet; the standard (5.1) puts it on the last sheet only.
    @Test
    void theIndividualFormPrintsOnePersonASheetAndItsAttestationOnTheLastOnly() throws Exception {
        Samples.Case kojin = sample("kojin-household");
        byte[] pdf = ((PrintOutcome.Printed) printer.print(kojin.content(), signer)).signedPdf();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertEquals(4, doc.getNumberOfPages());
            for (int page = 1; page <= 4; page++) {
                String text = text(doc, page);
                assertEquals(page == 4, text.contains("世帯全員の住民票の原本と相違ない"), "attestation on sheet " + page);
                assertEquals(page == 4, text.contains("以下余白"), "以下余白 on sheet " + page);
                assertEquals(page == 4, text.contains("市長"), "mayor on sheet " + page);
                assertTrue(text.contains(page + "/4"), "page number on sheet " + page);
                assertEquals(1, text.split("生年月日", -1).length - 1, "one person on sheet " + page);
            }
        }
    }

    @Test
    void everyLayoutOfEveryTypePrintsItsAttestationOnTheLastSheetOnly() throws Exception {
        for (String name : List.of("household-6-two-sheets", "kojin-household", "kisai-kojin-all-items",
                "koseki-zenbu-two-sheets")) {
            Samples.Case c = sample(name);
            String attestation = name.startsWith("kisai") ? "上記の事項は" : name.startsWith("koseki") ? "これは、"
                    : "この写しは";
            try (PDDocument doc = Loader.loadPDF(((PrintOutcome.Printed) printer.print(c.content(), signer))
                    .signedPdf())) {
                int pages = doc.getNumberOfPages();
                assertTrue(pages > 1, name + " has several sheets");
                for (int page = 1; page <= pages; page++) {
                    assertEquals(page == pages, text(doc, page).contains(attestation), name + " sheet " + page);
                }
            }
        }
    }

    @Test
    void aKisaiOfSixPersonsTakesTwoSheetsWithItsAttestationOnTheSecond() throws Exception {
        KisaiContent kisai = (KisaiContent) sample("kisai-household-default-items").content();
        List<ResidentRecord> six = new java.util.ArrayList<>(kisai.persons());
        six.addAll(kisai.persons().subList(0, 2));
        PrintOutcome outcome = printer.print(new KisaiContent(kisai.issue(), six, KisaiItem.defaults()), signer);
        assertEquals(2, ((PrintOutcome.Printed) outcome).pageCount());
        try (PDDocument doc = Loader.loadPDF(((PrintOutcome.Printed) outcome).signedPdf())) {
            assertFalse(text(doc, 1).contains("上記の事項は"), "no 認証文 on the first sheet");
            assertTrue(text(doc, 2).contains("上記の事項は"), "the 認証文 on the last sheet");
        }
    }

    private static String text(PDDocument doc, int page) throws java.io.IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(doc);
    }

    @Test
    void variantGlyphsAreDrawnByGlyphIdWithTheirSequenceAsActualText() throws Exception {
        byte[] pdf = ((PrintOutcome.Printed) printer.print(sample("ivs-name").content(), signer)).signedPdf();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            StringBuilder content = new StringBuilder();
            for (var stream : (Iterable<org.apache.pdfbox.pdmodel.common.PDStream>)
                    () -> doc.getPage(0).getContentStreams()) {
                content.append(new String(stream.toByteArray(), StandardCharsets.ISO_8859_1));
            }
            // 邉 U+9089 + U+E0110 (DB40 DD10) and 葛 U+845B + U+E0102 (DB40 DD02), as UTF-16BE.
            assertTrue(content.toString().contains("/ActualText <FEFF9089DB40DD10>"), "邉 + E0110 given back");
            assertTrue(content.toString().contains("/ActualText <FEFF845BDB40DD02>"), "葛 + E0102 given back");
        }
        // The variant glyphs are not the plain ones: the same name without selectors renders differently.
        Samples.Case ivs = sample("ivs-name");
        ResidentRecord variant = ((JuminhyoContent) ivs.content()).persons().get(0);
        ObjectNode json = DemoResidents.residents().get(0).deepCopy();
        json.put("familyName", "渡邉");
        json.put("givenName", "葛乃");
        json.put("sex", "FEMALE");
        json.put("householderName", "渡邉　葛乃");
        ResidentRecord plain = ResidentRecord.fromJson(json);
        BufferedImage a = render(ivs, plain);
        BufferedImage b = render(ivs, variant);
        int differing = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                differing += Math.abs((a.getRGB(x, y) & 0xff) - (b.getRGB(x, y) & 0xff)) > 64 ? 1 : 0;
            }
        }
        assertTrue(differing > 30, "the variant glyphs differ from the plain ones (" + differing + " pixels)");
    }

    private static BufferedImage render(Samples.Case c, ResidentRecord person) throws Exception {
        JuminhyoContent content = (JuminhyoContent) c.content();
        JuminhyoContent one = new JuminhyoContent(content.issue(), content.scope(), List.of(person), content.items());
        return Samples.pages(((PrintOutcome.Printed) printer.print(one, signer)).signedPdf(), 150).get(0);
    }

    private static Samples.Case sample(String name) {
        return Samples.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** At most 0.5 % of the pixels may differ by more than a quarter of the grey range. */
    private static void compare(String name, BufferedImage approved, BufferedImage actual) throws Exception {
        if (approved.getWidth() != actual.getWidth() || approved.getHeight() != actual.getHeight()) {
            fail(name + ": size " + actual.getWidth() + "x" + actual.getHeight() + " instead of "
                    + approved.getWidth() + "x" + approved.getHeight());
        }
        BufferedImage diff = new BufferedImage(actual.getWidth(), actual.getHeight(), BufferedImage.TYPE_INT_RGB);
        int differing = 0;
        for (int y = 0; y < actual.getHeight(); y++) {
            for (int x = 0; x < actual.getWidth(); x++) {
                int a = approved.getRGB(x, y) & 0xff;
                int b = actual.getRGB(x, y) & 0xff;
                boolean differs = Math.abs(a - b) > 64;
                differing += differs ? 1 : 0;
                diff.setRGB(x, y, differs ? 0xff0000 : (b << 16 | b << 8 | b));
            }
        }
        double share = (double) differing / (actual.getWidth() * actual.getHeight());
        if (share > 0.005) {
            Path out = Files.createDirectories(Path.of("target/sample-diffs")).resolve(name + "-diff.png");
            ImageIO.write(diff, "png", out.toFile());
            fail(name + ": " + String.format("%.2f", share * 100) + " % of pixels differ; see " + out);
        }
    }
}
