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
import jp.kofu.pdf.KosekiContent;
import jp.kofu.koseki.KosekiAnswer;
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
 * 印鑑登録証明書, 戸籍全部事項証明書, 戸籍個人事項証明書, 戸籍の附票の写し) to PDF and PNG, with a fixed date and issuance numbers, so that the forms can be looked at and kept
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
        CertificateForm zenbu = forms.forMunicipality(m, FormLayout.Kind.KOSEKI_ZENBU);
        CertificateForm kosekiKojin = forms.forMunicipality(m, FormLayout.Kind.KOSEKI_KOJIN);
        CertificateForm fuhyo = forms.forMunicipality(m, FormLayout.Kind.KOSEKI_FUHYO);
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
                                DemoSeal.square("山﨑")), true)),
                new Case("koseki-zenbu-two-sheets", KosekiContent.of(n.issue(zenbu), DemoKoseki.zenbu())),
                new Case("koseki-kojin-one-person", KosekiContent.of(n.issue(kosekiKojin), DemoKoseki.kojin())),
                new Case("koseki-kojin-ivs-name", KosekiContent.of(n.issue(kosekiKojin), DemoKoseki.ivs())),
                new Case("koseki-fuhyo-with-domicile", KosekiContent.fuhyo(n.issue(fuhyo), DemoKoseki.fuhyo(), true)),
                new Case("koseki-fuhyo-without-domicile", KosekiContent.fuhyo(n.issue(fuhyo), DemoKoseki.fuhyo(),
                        false)));
    }

    /**
     * Demo answers of a 戸籍システム (contract §9): a 戸籍 of four persons, the 長男 除籍 by his 婚姻, whose table runs
     * onto a second sheet in the middle of a 婚姻 entry; a 個人事項 of one of them; a 附票; a name of variant glyphs.
     */
    static final class DemoKoseki {
        static final String HONSEKI = "埼玉県川口市青木二丁目1番";
        static final String HITTOSHA = "川口 太郎";

        private DemoKoseki() {}

        static KosekiAnswer zenbu() {
            return answer(KosekiAnswer.Kind.ZENBU, List.of(head(), wife(), daughter(), son()));
        }

        static KosekiAnswer kojin() {
            return answer(KosekiAnswer.Kind.KOJIN, List.of(daughter()));
        }

        /** 渡邉 + U+E0110 and 葛 + U+E0102 (文字情報基盤), with 𠮷 and 髙 in the 父母 of the person. */
        static KosekiAnswer ivs() {
            String family = "渡邉\uDB40\uDD10";
            KosekiAnswer.Person p = person("K-000201", family + " 葛\uDB40\uDD02乃", "1990-07-07",
                    jp.kofu.replica.ResidentRecord.Sex.FEMALE, family + " 𠮷男", family + " 髙子", "長女", false,
                    List.of(event("出生", "出生日", "1990-07-07", "出生地", "山梨県甲府市", "届出日", "1990-07-12",
                            "届出人", "父")), List.of());
            return new KosekiAnswer("sample-ivs", "K-000201", KosekiAnswer.Kind.KOJIN, "山梨県甲府市丸の内一丁目18番",
                    family + " 𠮷男", List.of(new KosekiAnswer.KosekiEvent("戸籍編製", LocalDate.of(1988, 11, 3))),
                    List.of(p));
        }

        static KosekiAnswer fuhyo() {
            List<KosekiAnswer.Person> persons = List.of(
                    withAddresses(head(), address("東京都千代田区平河町一丁目10番地", "1982-05-10"),
                            address("埼玉県さいたま市浦和区高砂三丁目15番1号", "1990-03-20"),
                            address("埼玉県川口市青木二丁目1番1号", "2004-03-06")),
                    withAddresses(wife(), address("東京都千代田区平河町一丁目10番地", "1982-05-10"),
                            address("埼玉県さいたま市浦和区高砂三丁目15番1号", "1990-03-20"),
                            address("埼玉県川口市青木二丁目1番1号", "2004-03-06")),
                    withAddresses(daughter(), address("東京都千代田区平河町一丁目10番地", "1984-02-29"),
                            address("埼玉県さいたま市浦和区高砂三丁目15番1号", "1990-03-20"),
                            address("埼玉県川口市青木二丁目1番1号", "2004-03-06")));
            return answer(KosekiAnswer.Kind.FUHYO, persons);
        }

        private static KosekiAnswer answer(KosekiAnswer.Kind kind, List<KosekiAnswer.Person> persons) {
            return new KosekiAnswer("sample-" + kind, persons.get(0).personKey(), kind, HONSEKI, HITTOSHA,
                    List.of(new KosekiAnswer.KosekiEvent("戸籍編製", LocalDate.of(1982, 5, 10)),
                            new KosekiAnswer.KosekiEvent("転籍", LocalDate.of(2004, 3, 6))), persons);
        }

        private static KosekiAnswer.Person head() {
            return person("K-000101", HITTOSHA, "1955-06-21", jp.kofu.replica.ResidentRecord.Sex.MALE, "川口 一",
                    "川口 松子", "長男", false, List.of(
                            event("出生", "出生日", "1955-06-21", "出生地", "東京都千代田区", "届出日", "1955-06-25",
                                    "届出人", "父", "送付を受けた日", "1955-06-28", "受理者", "東京都中央区長"),
                            event("婚姻", "婚姻日", "1982-05-10", "配偶者氏名", "髙橋 花子",
                                    "従前戸籍", "東京都千代田区平河町一丁目10番地　川口 一"),
                            event("転籍", "転籍日", "2004-03-06", "従前本籍", "東京都千代田区平河町一丁目10番地")),
                    List.of());
        }

        private static KosekiAnswer.Person wife() {
            return person("K-000102", "川口 花子", "1957-09-12", jp.kofu.replica.ResidentRecord.Sex.FEMALE,
                    "髙橋 健一", "髙橋 由美", "長女", false, List.of(
                            event("出生", "出生日", "1957-09-12", "出生地", "神奈川県横浜市中区", "届出日",
                                    "1957-09-20", "届出人", "父", "送付を受けた日", "1957-09-24", "受理者",
                                    "横浜市西区長"),
                            event("婚姻", "婚姻日", "1982-05-10", "配偶者氏名", HITTOSHA,
                                    "従前戸籍", "神奈川県横浜市中区港町一丁目1番地　髙橋 健一")),
                    List.of());
        }

        private static KosekiAnswer.Person daughter() {
            return person("K-000103", "川口 𠮷子", "1984-02-29", jp.kofu.replica.ResidentRecord.Sex.FEMALE,
                    HITTOSHA, "川口 花子", "長女", false, List.of(
                            event("出生", "出生日", "1984-02-29", "出生地", "東京都千代田区", "届出日", "1984-03-05",
                                    "届出人", "父")),
                    List.of());
        }

        private static KosekiAnswer.Person son() {
            return person("K-000104", "川口 一郎", "1986-11-03", jp.kofu.replica.ResidentRecord.Sex.MALE, HITTOSHA,
                    "川口 花子", "長男", true, List.of(
                            event("出生", "出生日", "1986-11-03", "出生地", "東京都千代田区", "届出日", "1986-11-10",
                                    "届出人", "父"),
                            event("婚姻", "婚姻日", "2014-10-10", "配偶者氏名", "山田 美咲", "新本籍",
                                    "埼玉県川口市青木三丁目4番", "称する氏", "夫の氏")),
                    List.of());
        }

        private static KosekiAnswer.Person person(String key, String name, String born,
                                                  jp.kofu.replica.ResidentRecord.Sex sex, String father,
                                                  String mother, String relationship, boolean removed,
                                                  List<KosekiAnswer.Event> events,
                                                  List<KosekiAnswer.Address> addresses) {
            return new KosekiAnswer.Person(key, name, LocalDate.parse(born), sex, father, mother, relationship,
                    removed, events, addresses);
        }

        private static KosekiAnswer.Person withAddresses(KosekiAnswer.Person p, KosekiAnswer.Address... addresses) {
            return new KosekiAnswer.Person(p.personKey(), p.name(), p.birthDate(), p.sex(), p.father(), p.mother(),
                    p.relationship(), p.removed(), List.of(), List.of(addresses));
        }

        private static KosekiAnswer.Address address(String address, String setOn) {
            return new KosekiAnswer.Address(address, LocalDate.parse(setOn));
        }

        /** An entry of 身分事項 from its label and pairs of item names and values. */
        private static KosekiAnswer.Event event(String label, String... namesAndValues) {
            List<KosekiAnswer.Item> items = new ArrayList<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                items.add(new KosekiAnswer.Item(namesAndValues[i], namesAndValues[i + 1]));
            }
            return new KosekiAnswer.Event(label, items);
        }
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
