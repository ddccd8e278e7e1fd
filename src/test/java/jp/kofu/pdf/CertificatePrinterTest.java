package jp.kofu.pdf;

import jp.kofu.demo.Samples;
import jp.kofu.replica.ResidentRecord;
import jp.kofu.signing.DocumentSigner;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.util.Matrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.geom.Point2D;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One printer for every certificate: copies each with their own 発行番号, the 印影 at exactly its registered size,
 * the black 電子公印, the items a 記載事項証明書 certifies, and what makes a certificate not printable.
 */
final class CertificatePrinterTest {
    private static final float MM = 72f / 25.4f;
    private static CertificatePrinter printer;
    private static DocumentSigner signer;

    @BeforeAll
    static void setUp() throws Exception {
        printer = new CertificatePrinter();
        signer = Samples.signer(Files.createTempDirectory("kofu-certificate-printer-test"));
    }

    @Test
    void eachCopyCarriesItsOwnIssuanceNumberAndVerificationAddressOnEachOfItsSheets() throws Exception {
        JuminhyoContent six = (JuminhyoContent) sample("household-6-two-sheets");
        Issue one = six.issue();
        List<Issue.Copy> copies = List.of(Samples.copy("112038", 1), Samples.copy("112038", 2));
        Issue two = new Issue(one.municipalityName(), one.mayorTitle(), one.mayorName(), copies, one.issuedOn(),
                one.form(), one.sealColor());
        PrintOutcome.Printed printed = printed(new JuminhyoContent(two, six.scope(), six.persons(), six.items()));
        assertEquals(4, printed.pageCount());
        try (PDDocument doc = Loader.loadPDF(printed.signedPdf())) {
            for (int page = 1; page <= 4; page++) {
                Issue.Copy copy = copies.get((page - 1) / 2);
                Issue.Copy other = copies.get(1 - (page - 1) / 2);
                String text = text(doc, page);
                assertTrue(text.contains(copy.issuanceNumber()), "number of its copy on sheet " + page);
                assertFalse(text.contains(other.issuanceNumber()), "no other copy's number on sheet " + page);
                assertTrue(text.contains(copy.verificationUrl()), "its copy's address on sheet " + page);
                assertEquals(copy.verificationUrl(), qrCode(doc, page - 1), "its copy's QR code on sheet " + page);
                assertTrue(text.contains(((page - 1) % 2 + 1) + "/2"), "numbered within its copy: sheet " + page);
                assertEquals(page % 2 == 0, text.contains("世帯全員の住民票の原本と相違ない"),
                        "認証文 on the last sheet of each copy only: sheet " + page);
            }
        }
    }

    @Test
    void printsTheImpressionAtExactlyItsRegisteredSize() throws Exception {
        for (String name : List.of("inkan", "inkan-former-surname-no-sex", "inkan-alias-black-seal")) {
            InkanContent inkan = (InkanContent) sample(name);
            try (PDDocument doc = Loader.loadPDF(printed(inkan).signedPdf())) {
                Placed impression = images(doc.getPage(0)).stream().filter(p -> p.pixels() == 300).findFirst()
                        .orElseThrow();
                float side = (float) (inkan.seal().sealSizeMm() * MM);
                assertEquals(side, impression.width(), 0.01, name + ": width " + impression.width() / MM + " mm");
                assertEquals(side, impression.height(), 0.01, name + ": height");
                FormLayout.Impression frame = inkan.issue().form().layout().impression();
                assertEquals(frame.x() + frame.size() / 2, impression.x() + side / 2, 0.01, name + ": centred");
            }
        }
    }

    @Test
    void drawsABlackSealAtMostTwentyFiveMillimetresWithItsNote() throws Exception {
        JuminhyoContent self = (JuminhyoContent) sample("self-no-options");
        FormLayout.Seal seal = self.issue().form().layout().footer().seal();
        JuminhyoContent black = new JuminhyoContent(self.issue().withSealColor(Issue.SealColor.BLACK), self.scope(),
                self.persons(), self.items());
        try (PDDocument doc = Loader.loadPDF(printed(black).signedPdf())) {
            Placed drawn = images(doc.getPage(0)).get(0);
            assertTrue(drawn.width() <= 25 * MM + 0.01 && drawn.height() <= 25 * MM + 0.01, "at most 25 mm");
            assertEquals(Math.min(seal.size(), 25 * MM), drawn.width(), 0.01);
            PDImageXObject image = drawn.image();
            byte[] colours;
            try (InputStream in = image.getCOSObject().createInputStream()) {
                colours = in.readAllBytes();
            }
            for (byte b : colours) {
                assertEquals(0, b, "every pixel of the seal is black");
            }
            assertTrue(text(doc, 1).contains("この印は黒色です"));
        }
        try (PDDocument doc = Loader.loadPDF(printed(self).signedPdf())) {
            assertFalse(text(doc, 1).contains("この印は黒色です"), "the seal as given has no note");
        }
    }

    @Test
    void printsOnlyTheItemsAKisaiCertifiesAndNeverTheNumbers() throws Exception {
        KisaiContent kisai = (KisaiContent) sample("kisai-all-items");
        String all = text(printed(kisai));
        for (String item : List.of("生年月日", "男女の別", "住所", "世帯主", "続柄", "住民となった日", "住所を定めた日",
                "本籍", "筆頭者", "旧氏")) {
            assertTrue(all.contains(item), "all items: " + item);
        }
        for (String never : List.of("個人番号", "住民票コード", "前住所", kisai.persons().get(0).individualNumber(),
                kisai.persons().get(0).juminhyoCode())) {
            assertFalse(all.contains(never), "never " + never);
        }
        String addressOnly = text(printed(new KisaiContent(kisai.issue(), kisai.persons(),
                EnumSet.of(KisaiItem.NAME, KisaiItem.ADDRESS))));
        assertTrue(addressOnly.contains("住所") && addressOnly.contains("太郎"), "the name and the address");
        assertTrue(addressOnly.contains("髙橋"), "旧氏 with the name whenever recorded");
        for (String off : List.of("生年月日", "男女の別", "世帯主", "続柄", "本籍")) {
            assertFalse(addressOnly.contains(off), "not chosen: " + off);
        }
        assertEquals(KisaiItem.defaults(), new KisaiContent(kisai.issue(), kisai.persons(), null).items());
    }

    @Test
    void leavesOutTheSexWhenTheMunicipalityDoesNotPrintIt() throws Exception {
        InkanContent inkan = (InkanContent) sample("inkan");
        assertTrue(text(printed(inkan)).contains("男女の別"));
        String without = text(printed(new InkanContent(inkan.issue(), inkan.person(), inkan.seal(), false)));
        assertFalse(without.contains("男女の別"), "no 男女の別");
        assertTrue(without.contains("生年月日") && without.contains("00012345"));
    }

    @Test
    void refusesASealOutsideTheRegistrableSizesOrNotAnImage() {
        InkanContent inkan = (InkanContent) sample("inkan");
        InkanContent.Seal seal = inkan.seal();
        for (double mm : new double[] {7.9, 25.1, Double.NaN}) {
            InkanContent.Seal odd = new InkanContent.Seal(seal.registrationNumber(), seal.registeredName(),
                    seal.registeredOn(), mm, seal.png());
            PrintOutcome outcome = printer.print(new InkanContent(inkan.issue(), inkan.person(), odd, true), signer);
            assertTrue(outcome instanceof PrintOutcome.NotPrintable, mm + " mm: " + outcome);
        }
        InkanContent.Seal broken = new InkanContent.Seal(seal.registrationNumber(), seal.registeredName(),
                seal.registeredOn(), 15, new byte[] {1, 2, 3});
        PrintOutcome outcome = printer.print(new InkanContent(inkan.issue(), inkan.person(), broken, true), signer);
        assertTrue(outcome instanceof PrintOutcome.NotPrintable notPrintable
                && notPrintable.reason().contains("not a readable PNG"), outcome.toString());
    }

    @Test
    void refusesToPrintACertificateOnAnotherTypesForm() {
        KisaiContent kisai = (KisaiContent) sample("kisai-all-items");
        Issue onJuminhyoForm = Issue.of("川口市", "川口市長", "奥ノ木　信夫", kisai.issue().copies(),
                kisai.issue().issuedOn(), ((JuminhyoContent) sample("self-no-options")).issue().form());
        assertThrows(IllegalArgumentException.class,
                () -> printer.print(new KisaiContent(onJuminhyoForm, kisai.persons(), kisai.items()), signer));
    }

    @Test
    void refusesANameTooLongForTheInkanForm() {
        InkanContent inkan = (InkanContent) sample("inkan");
        ResidentRecord p = inkan.person();
        ResidentRecord longName = new ResidentRecord(p.residentId(), p.householdId(), p.juminhyoCode(),
                p.individualNumber(), "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末", "食う寝る処に住む処やぶら小路の藪柑子",
                null, null, null, null, null, null, p.sex(), p.birthDate(), p.relationship(), p.householderName(),
                p.address(), null, p.becameResidentOn(), null, p.addressSetOn(), null, null, null, null, null, null,
                null, null, null, null, null, false, List.of());
        PrintOutcome outcome = printer.print(new InkanContent(inkan.issue(), longName, inkan.seal(), true), signer);
        assertTrue(outcome instanceof PrintOutcome.NotPrintable, outcome.toString());
    }

    private static CertificateContent sample(String name) {
        return Samples.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().content();
    }

    private static PrintOutcome.Printed printed(CertificateContent content) {
        PrintOutcome outcome = printer.print(content, signer);
        assertTrue(outcome instanceof PrintOutcome.Printed, outcome.toString());
        return (PrintOutcome.Printed) outcome;
    }

    private static String text(PrintOutcome.Printed printed) throws IOException {
        try (PDDocument doc = Loader.loadPDF(printed.signedPdf())) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private static String text(PDDocument doc, int page) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(doc);
    }

    /** The text of the verification QR code of a page, decoded from the page rendered at 200 dpi. */
    private static String qrCode(PDDocument doc, int page) throws Exception {
        FormLayout.Verification v = CertificateForms.builtIn().layout("setai-renki").verification();
        float scale = 200 / 72f;
        java.awt.image.BufferedImage image = new org.apache.pdfbox.rendering.PDFRenderer(doc)
                .renderImageWithDPI(page, 200, org.apache.pdfbox.rendering.ImageType.RGB);
        int x = Math.round(v.x() * scale);
        int y = Math.round(v.y() * scale);
        int side = Math.round(v.size() * scale);
        int quiet = 40; // the form prints the code without its quiet zone: add one, white, and drop the 地紋
        java.awt.image.BufferedImage qr = new java.awt.image.BufferedImage(side + 2 * quiet, side + 2 * quiet,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int row = 0; row < qr.getHeight(); row++) {
            for (int col = 0; col < qr.getWidth(); col++) {
                int sx = x + col - quiet;
                int sy = y + row - quiet;
                boolean inside = col >= quiet && row >= quiet && col < quiet + side && row < quiet + side;
                boolean dark = inside && (image.getRGB(sx, sy) & 0xff) < 128;
                qr.setRGB(col, row, dark ? 0 : 0xffffff);
            }
        }
        int[] pixels = qr.getRGB(0, 0, qr.getWidth(), qr.getHeight(), null, 0, qr.getWidth());
        com.google.zxing.LuminanceSource source = new com.google.zxing.RGBLuminanceSource(qr.getWidth(),
                qr.getHeight(), pixels);
        return new com.google.zxing.qrcode.QRCodeReader().decode(new com.google.zxing.BinaryBitmap(
                new com.google.zxing.common.HybridBinarizer(source))).getText();
    }

    /** An image drawn on a page: its pixel width, and where and how large its placement matrix puts it, in points. */
    private record Placed(PDImageXObject image, int pixels, float x, float y, float width, float height) {}

    /** The images a page draws, read from its content stream with their current transformation matrices. */
    private static List<Placed> images(PDPage page) throws IOException {
        List<Placed> placed = new ArrayList<>();
        new PDFGraphicsStreamEngine(page) {
            {
                processPage(page);
            }

            @Override
            public void drawImage(PDImage image) {
                Matrix m = getGraphicsState().getCurrentTransformationMatrix();
                float top = page.getMediaBox().getHeight() - m.getTranslateY() - m.getScalingFactorY();
                placed.add(new Placed((PDImageXObject) image, image.getWidth(), m.getTranslateX(), top,
                        m.getScalingFactorX(), m.getScalingFactorY()));
            }

            @Override public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {}
            @Override public void clip(int windingRule) {}
            @Override public void moveTo(float x, float y) {}
            @Override public void lineTo(float x, float y) {}
            @Override public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {}
            @Override public Point2D getCurrentPoint() {
                return new Point2D.Float();
            }
            @Override public void closePath() {}
            @Override public void endPath() {}
            @Override public void strokePath() {}
            @Override public void fillPath(int windingRule) {}
            @Override public void fillAndStrokePath(int windingRule) {}
            @Override public void shadingFill(COSName shadingName) {}
        };
        return placed;
    }
}
