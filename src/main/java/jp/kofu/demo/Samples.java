package jp.kofu.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.pdf.CertificateContent;
import jp.kofu.pdf.CertificateForm;
import jp.kofu.pdf.CertificateForms;
import jp.kofu.pdf.CertificatePrinter;
import jp.kofu.pdf.FormLayout;
import jp.kofu.pdf.InkanContent;
import jp.kofu.pdf.Issue;
import jp.kofu.pdf.JuminhyoContent;
import jp.kofu.pdf.JuminhyoContent.Scope;
import jp.kofu.pdf.KisaiContent;
import jp.kofu.pdf.KisaiItem;
import jp.kofu.pdf.PrintItems;
import jp.kofu.pdf.PrintOutcome;
import jp.kofu.pki.DevPki;
import jp.kofu.replica.ResidentRecord;
import jp.kofu.signing.DocumentSigner;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar kofu.jar samples [--out docs/samples]}: renders every sample case (住民票の写し, 住民票記載事項証明書,
 * 印鑑登録証明書) to PDF and PNG, with a fixed date and issuance numbers, so that the forms can be looked at and kept
 * as approved images.
 */
public final class Samples {
    /** The date printed on every sample. */
    public static final LocalDate ISSUED_ON = LocalDate.of(2026, 11, 23);

    private Samples() {}

    /** A sample: its file name and what it prints. */
    public record Case(String name, CertificateContent content) {}

    public static List<Case> cases() {
        Municipality m = MunicipalityRegistry.demoMunicipality();
        CertificateForms forms = CertificateForms.builtIn();
        CertificateForm setai = forms.forMunicipality(m);
        CertificateForm kojin = new CertificateForm(forms.layout("kojin"), setai.seal());
        CertificateForm kisai = forms.forMunicipality(m, FormLayout.Kind.KISAI);
        CertificateForm kisaiKojin = new CertificateForm(forms.layout("kisai-kojin"), setai.seal());
        CertificateForm inkan = forms.forMunicipality(m, FormLayout.Kind.INKAN);
        Map<String, ResidentRecord> demo = new LinkedHashMap<>();
        for (ObjectNode r : DemoResidents.residents()) {
            ResidentRecord record = ResidentRecord.fromJson(r);
            demo.put(record.residentId(), record);
        }
        ResidentRecord head = demo.get(DemoResidents.FAMILY_HEAD);
        ResidentRecord spouse = demo.get(DemoResidents.SPOUSE);
        ResidentRecord foreign = demo.get(DemoResidents.FOREIGN);
        List<ResidentRecord> family = List.of(head, spouse, demo.get(DemoResidents.TEEN),
                demo.get(DemoResidents.CHILD));
        List<ResidentRecord> six = new ArrayList<>(family);
        six.add(relative("R0000005", "祖母", "川口", "ミツ", "1940-01-15", "FEMALE"));
        six.add(relative("R0000006", "祖父", "川口", "邊造", "1938-06-01", "MALE"));
        ObjectNode longAddress = DemoResidents.residents().get(0).deepCopy();
        longAddress.put("address", "北海道札幌市中央区北一条西二丁目一番地の三十四　札幌市役所前通り再開発地区第二街区");
        longAddress.put("addressSupplement", "サンプルタワーレジデンス札幌北一条ウエスト棟三千三百三十三号室");
        ObjectNode ivs = DemoResidents.residents().get(0).deepCopy();
        // 邉 + U+E0110 and 葛 + U+E0102: variant glyphs of the Moji_Joho collection (文字情報基盤), drawn by glyph id.
        ivs.put("familyName", "渡邉\uDB40\uDD10");
        ivs.put("givenName", "葛\uDB40\uDD02乃");
        ivs.put("familyNameKana", "わたなべ");
        ivs.put("givenNameKana", "くずの");
        ivs.put("sex", "FEMALE");
        ivs.put("householderName", "渡邉\uDB40\uDD10　葛\uDB40\uDD02乃");
        PrintItems none = new PrintItems(false, false, false, false);
        PrintItems usual = new PrintItems(true, false, false, false);
        PrintItems all = new PrintItems(true, true, true, true);
        Set<KisaiItem> allKisai = EnumSet.allOf(KisaiItem.class);
        Numbers n = new Numbers(m);
        return List.of(
                juminhyo("household-6-two-sheets", n.issue(setai), Scope.HOUSEHOLD_ALL, six, usual),
                juminhyo("household-all-options", n.issue(setai), Scope.HOUSEHOLD_ALL, family, all),
                juminhyo("self-no-options", n.issue(setai), Scope.SELF, List.of(head), none),
                juminhyo("former-surname", n.issue(setai), Scope.SELF, List.of(spouse), usual),
                juminhyo("foreign-resident-alias", n.issue(setai), Scope.SELF, List.of(foreign), all),
                juminhyo("household-part", n.issue(setai), Scope.HOUSEHOLD_PART,
                        List.of(head, demo.get(DemoResidents.CHILD)), usual),
                juminhyo("long-address", n.issue(setai), Scope.SELF, List.of(ResidentRecord.fromJson(longAddress)),
                        usual),
                juminhyo("ivs-name", n.issue(setai), Scope.SELF, List.of(ResidentRecord.fromJson(ivs)), usual),
                juminhyo("kojin-household", n.issue(kojin), Scope.HOUSEHOLD_ALL, family, all),
                juminhyo("kojin-foreign-resident", n.issue(kojin), Scope.SELF, List.of(foreign), usual),
                juminhyo("self-black-seal", n.issue(setai).withSealColor(Issue.SealColor.BLACK), Scope.SELF,
                        List.of(head), usual),
                new Case("kisai-household-default-items", new KisaiContent(n.issue(kisai), family,
                        KisaiItem.defaults())),
                new Case("kisai-all-items", new KisaiContent(n.issue(kisai), List.of(head, spouse), allKisai)),
                new Case("kisai-kojin-default-items", new KisaiContent(n.issue(kisaiKojin), List.of(foreign),
                        KisaiItem.defaults())),
                new Case("kisai-kojin-all-items", new KisaiContent(n.issue(kisaiKojin), List.of(head, spouse),
                        allKisai)),
                new Case("inkan", new InkanContent(n.issue(inkan), head,
                        new InkanContent.Seal("00012345", head.fullName(), LocalDate.of(2015, 4, 10), 15,
                                DemoSeal.round("川口")), true)),
                new Case("inkan-former-surname-no-sex", new InkanContent(n.issue(inkan), spouse,
                        new InkanContent.Seal("00012346", "髙橋　花子", LocalDate.of(2009, 6, 1), 18,
                                DemoSeal.round("髙橋")), false)),
                new Case("inkan-alias-black-seal", new InkanContent(
                        n.issue(inkan).withSealColor(Issue.SealColor.BLACK), foreign,
                        new InkanContent.Seal("00012347", "山﨑　ジョン", LocalDate.of(2020, 2, 3), 25,
                                DemoSeal.square("山﨑")), true)));
    }

    private static Case juminhyo(String name, Issue issue, Scope scope, List<ResidentRecord> persons,
                                 PrintItems items) {
        return new Case(name, new JuminhyoContent(issue, scope, persons, items));
    }

    /** The samples' 発行番号 in order, one copy each, with their verification addresses. */
    private static final class Numbers {
        private final Municipality m;
        private int serial;

        Numbers(Municipality m) {
            this.m = m;
        }

        Issue issue(CertificateForm form) {
            return Issue.of(m.name(), m.mayorTitle(), m.mayorName(), List.of(copy(m.code(), ++serial)), ISSUED_ON,
                    form);
        }
    }

    /** The {@code serial}th sample number of a municipality, with its verification address. */
    public static Issue.Copy copy(String municipalityCode, int serial) {
        String number = municipalityCode + "-20261123-" + String.format("%06d", 900_000 + serial);
        return new Issue.Copy(number, "https://kofu.example.lg.jp/verify/" + number + "?d=sample0sample0sample");
    }

    /**
     * Demo 印影 drawn with Java2D, as a registration scan would give them: a vermilion ring or square with the name
     * in a column, read from the top, on a transparent background.
     */
    static final class DemoSeal {
        private static final int SIZE = 300;
        private static java.awt.Font font;

        private DemoSeal() {}

        /** A round seal (丸印) of {@code name}. */
        static byte[] round(String name) {
            return draw(name, true);
        }

        /** A square seal (角印) of {@code name}. */
        static byte[] square(String name) {
            return draw(name, false);
        }

        private static byte[] draw(String name, boolean round) {
            BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
            java.awt.Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING,
                        java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setColor(new java.awt.Color(0xC8, 0x2A, 0x22));
                g.setStroke(new java.awt.BasicStroke(16));
                if (round) {
                    g.drawOval(12, 12, SIZE - 24, SIZE - 24);
                } else {
                    g.drawRect(12, 12, SIZE - 24, SIZE - 24);
                }
                int count = name.codePointCount(0, name.length());
                float cell = (SIZE - 96f) / count;
                g.setFont(font().deriveFont(java.awt.Font.PLAIN, Math.min(cell * 1.05f, SIZE * 0.42f)));
                var metrics = g.getFontMetrics();
                for (int i = 0, at = 0; at < name.length(); i++) {
                    String ch = new String(Character.toChars(name.codePointAt(at)));
                    at += ch.length();
                    float cy = 48 + (i + 0.5f) * cell;
                    g.drawString(ch, (SIZE - metrics.stringWidth(ch)) / 2f,
                            cy + (metrics.getAscent() - metrics.getDescent()) / 2f);
                }
            } finally {
                g.dispose();
            }
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            try {
                ImageIO.write(image, "png", png);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return png.toByteArray();
        }

        private static synchronized java.awt.Font font() {
            if (font == null) {
                try (java.io.InputStream in = Samples.class.getResourceAsStream("/pdf-templates/fonts/ipamjm.ttf")) {
                    font = java.awt.Font.createFont(java.awt.Font.TRUETYPE_FONT, in);
                } catch (IOException | java.awt.FontFormatException e) {
                    throw new IllegalStateException("cannot load the font of the demo seals", e);
                }
            }
            return font;
        }
    }

    private static ResidentRecord relative(String id, String relationship, String family, String given, String born,
                                           String sex) {
        ObjectNode r = DemoResidents.residents().get(2).deepCopy();
        r.put("residentId", id);
        r.put("relationship", relationship);
        r.put("familyName", family);
        r.put("givenName", given);
        r.put("birthDate", born);
        r.put("sex", sex);
        r.remove("familyNameKana");
        r.remove("givenNameKana");
        return ResidentRecord.fromJson(r);
    }

    /** A signer with a fixed clock, from a throw-away development PKI. */
    public static DocumentSigner signer(Path workDir) {
        DevPki pki = DevPki.open(workDir.resolve("dev-pki"), Clock.systemUTC());
        DocumentSigner loaded = DocumentSigner.fromPkcs12(pki.signingKeystore("112038"), pki.password());
        return new DocumentSigner(jp.kofu.pki.Pkcs12.read(pki.signingKeystore("112038"), pki.password()).privateKey(),
                List.of(loaded.certificate()), Clock.fixed(ISSUED_ON.atTime(10, 0).toInstant(ZoneOffset.ofHours(9)),
                ZoneOffset.UTC));
    }

    /** Renders the page images of a PDF at {@code dpi}. */
    public static List<BufferedImage> pages(byte[] pdf, int dpi) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(doc);
            List<BufferedImage> images = new ArrayList<>();
            for (int i = 0; i < doc.getNumberOfPages(); i++) {
                images.add(renderer.renderImageWithDPI(i, dpi, ImageType.GRAY));
            }
            return images;
        }
    }

    public static int run(String[] args) throws IOException {
        Path out = Path.of(args.length > 2 && args[1].equals("--out") ? args[2] : "docs/samples");
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("kofu-samples");
        DocumentSigner signer = signer(work);
        CertificatePrinter printer = new CertificatePrinter();
        for (Case c : cases()) {
            PrintOutcome outcome = printer.print(c.content(), signer);
            if (!(outcome instanceof PrintOutcome.Printed printed)) {
                System.err.println(c.name() + ": not printable: " + ((PrintOutcome.NotPrintable) outcome).reason());
                continue;
            }
            Files.write(out.resolve(c.name() + ".pdf"), printed.signedPdf());
            List<BufferedImage> images = pages(printed.signedPdf(), 60);
            for (int i = 0; i < images.size(); i++) {
                ImageIO.write(images.get(i), "png", out.resolve(c.name() + "-" + (i + 1) + ".png").toFile());
            }
            System.out.println(c.name() + ": " + printed.pageCount() + " page(s)");
        }
        return 0;
    }
}
