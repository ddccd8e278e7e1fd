package jp.kofu.demo;

import jp.kofu.pdf.JuminhyoPrinter;
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
    private static final Map<String, List<String>> EXPECTED_TEXT = Map.of(
            "household-6-two-sheets", List.of("世帯全員の住民票の原本と相違ない", "邊造", "以下余白"),
            "household-all-options", List.of("個人番号", "住民票コード", "本籍", "筆頭者", "続柄"),
            "self-no-options", List.of("この写しは、住民票の原本と相違ないことを証明する"),
            "former-surname", List.of("旧氏", "髙橋"),
            "foreign-resident-alias", List.of("通称", "山﨑", "国籍・地域", "在留カード等番号"),
            "household-part", List.of("世帯の一部の住民票の原本と相違ない", "𠮷子"),
            "long-address", List.of("札幌市役所前通り再開発地区", "ワーレジデンス札幌北一条"));
    private static JuminhyoPrinter printer;
    private static DocumentSigner signer;

    @BeforeAll
    static void setUp() throws Exception {
        printer = new JuminhyoPrinter();
        signer = Samples.signer(Files.createTempDirectory("kofu-samples-test"));
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
            if (!c.name().equals("household-all-options") && !c.name().equals("foreign-resident-alias")) {
                assertFalse(text.contains("個人番号"), c.name() + " has no 個人番号");
            }
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
