package jp.kofu.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;
import jp.kofu.pdf.CertificateForm;
import jp.kofu.pdf.CertificateForms;
import jp.kofu.pdf.JuminhyoContent;
import jp.kofu.pdf.JuminhyoPrinter;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar kofu.jar samples [--out docs/samples]}: renders every sample case of the 住民票の写し to PDF and
 * PNG, with a fixed date and issuance numbers, so that the forms can be looked at and kept as approved images.
 */
public final class Samples {
    /** The date printed on every sample. */
    public static final LocalDate ISSUED_ON = LocalDate.of(2026, 11, 23);

    private Samples() {}

    /** A sample: its file name and what it prints. */
    public record Case(String name, JuminhyoContent content) {}

    public static List<Case> cases() {
        Municipality m = MunicipalityRegistry.demoMunicipality();
        CertificateForms forms = CertificateForms.builtIn();
        CertificateForm setai = forms.forMunicipality(m);
        CertificateForm kojin = new CertificateForm(forms.layout("kojin"), setai.seal());
        Map<String, ResidentRecord> demo = new LinkedHashMap<>();
        for (ObjectNode r : DemoResidents.residents()) {
            ResidentRecord record = ResidentRecord.fromJson(r);
            demo.put(record.residentId(), record);
        }
        List<ResidentRecord> family = List.of(demo.get(DemoResidents.FAMILY_HEAD), demo.get(DemoResidents.SPOUSE),
                demo.get(DemoResidents.TEEN), demo.get(DemoResidents.CHILD));
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
        int[] serial = {0};
        return List.of(
                sample(setai, "household-6-two-sheets", m, JuminhyoContent.Attestation.HOUSEHOLD_ALL, six, usual, serial),
                sample(setai, "household-all-options", m, JuminhyoContent.Attestation.HOUSEHOLD_ALL, family, all, serial),
                sample(setai, "self-no-options", m, JuminhyoContent.Attestation.SELF, List.of(demo.get(DemoResidents.FAMILY_HEAD)),
                        none, serial),
                sample(setai, "former-surname", m, JuminhyoContent.Attestation.SELF, List.of(demo.get(DemoResidents.SPOUSE)),
                        usual, serial),
                sample(setai, "foreign-resident-alias", m, JuminhyoContent.Attestation.SELF,
                        List.of(demo.get(DemoResidents.FOREIGN)), all, serial),
                sample(setai, "household-part", m, JuminhyoContent.Attestation.HOUSEHOLD_PART,
                        List.of(demo.get(DemoResidents.FAMILY_HEAD), demo.get(DemoResidents.CHILD)), usual, serial),
                sample(setai, "long-address", m, JuminhyoContent.Attestation.SELF, List.of(ResidentRecord.fromJson(longAddress)),
                        usual, serial),
                sample(setai, "ivs-name", m, JuminhyoContent.Attestation.SELF, List.of(ResidentRecord.fromJson(ivs)),
                        usual, serial),
                sample(kojin, "kojin-household", m, JuminhyoContent.Attestation.HOUSEHOLD_ALL, family, all, serial),
                sample(kojin, "kojin-foreign-resident", m, JuminhyoContent.Attestation.SELF,
                        List.of(demo.get(DemoResidents.FOREIGN)), usual, serial));
    }

    private static Case sample(CertificateForm form, String name, Municipality m, JuminhyoContent.Attestation attestation,
                               List<ResidentRecord> persons, PrintItems items, int[] serial) {
        String number = m.code() + "-20261123-" + String.format("%06d", 900_000 + ++serial[0]);
        return new Case(name, new JuminhyoContent(m.name(), m.mayorTitle(), m.mayorName(), attestation, persons, items,
                number, ISSUED_ON, 1, "https://kofu.example.lg.jp/verify/" + number + "?d=sample0sample0sample", form));
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
        JuminhyoPrinter printer = new JuminhyoPrinter();
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
