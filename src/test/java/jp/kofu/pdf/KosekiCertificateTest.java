package jp.kofu.pdf;

import jp.kofu.demo.Samples;
import jp.kofu.koseki.KosekiAnswer;
import jp.kofu.signing.DocumentSigner;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three certificates of the 戸籍 path: 戸籍全部事項証明書, 戸籍個人事項証明書 and 戸籍の附票の写し — what their text
 * says (認証文, 除籍 mark, names exactly, 和暦), where the 認証文 stands, what is refused, and PDF/A.
 */
final class KosekiCertificateTest {
    private static final String ZENBU = "これは、戸籍に記録されている事項の全部を証明した書面である。";
    private static final String KOJIN = "これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。";
    private static final String FUHYO = "この写しは、戸籍の附票の原本と相違ないことを証明する。";
    private static CertificatePrinter printer;
    private static DocumentSigner signer;

    @BeforeAll
    static void setUp() throws Exception {
        printer = new CertificatePrinter();
        signer = Samples.signer(Files.createTempDirectory("kofu-koseki-test"));
    }

    @Test
    void theZenbuCertificatePrintsEveryPersonTheRemovedMarkAndItsAttestationOnTheLastSheetOnly() throws Exception {
        KosekiContent zenbu = sample("koseki-zenbu-two-sheets");
        PrintOutcome.Printed printed = printed(zenbu);
        assertEquals(2, printed.pageCount());
        assertTrue(PdfAValidation.failures(printed.signedPdf()).isEmpty(), "PDF/A-2b");
        try (PDDocument doc = Loader.loadPDF(printed.signedPdf())) {
            String first = text(doc, 1);
            String last = text(doc, 2);
            String all = first + last;
            assertTrue(first.contains("全部事項証明") && last.contains("全部事項証明"), "title on every sheet");
            assertTrue(first.contains("1/2") && last.contains("2/2"), "n/N");
            assertTrue(first.contains(zenbu.issue().firstIssuanceNumber())
                    && last.contains(zenbu.issue().firstIssuanceNumber()), "発行番号 on every sheet");
            assertFalse(flat(first).contains(ZENBU), "no 認証文 on the first sheet");
            assertTrue(flat(last).contains(ZENBU), "the 認証文 on the last sheet");
            assertFalse(first.contains("以下余白"));
            assertTrue(last.contains("以下余白") && last.contains("令和8年11月23日") && last.contains("市長"));
            assertTrue(first.contains("本籍") && first.contains("埼玉県川口市青木二丁目1番")
                    && first.contains("川口 太郎"), "本籍 and 筆頭者 in the box of the first sheet");
            assertFalse(last.contains("埼玉県川口市青木二丁目1番\n"), "the box stands on the first sheet only");
            assertTrue(first.contains("戸籍事項") && first.contains("戸籍編製")
                    && first.contains("【編製日】昭和57年5月10日") && first.contains("【転籍日】平成16年3月6日"));
            for (String name : List.of("【名】太郎", "【名】花子", "【名】𠮷子", "【名】一郎")) {
                assertTrue(all.contains(name), name);
            }
            assertEquals(4, count(all, "戸籍に記録されている者"), "four persons");
            assertEquals(1, count(flat(all), "除籍"), "one boxed 除籍 mark: 一郎's");
            assertTrue(flat(last).indexOf("除籍") < flat(last).indexOf("【名】一郎") + 20
                    && flat(last).indexOf("除籍") > flat(last).indexOf("【名】一郎"), "the mark beside 一郎");
            assertTrue(all.contains("【生年月日】昭和30年6月21日") && all.contains("【出生日】昭和61年11月3日")
                    && all.contains("【婚姻日】平成26年10月10日"), "dates in 和暦");
            assertFalse(all.contains("1955-06-21"), "no ISO date printed");
            // The 婚姻 entry of 花子 runs on from the first sheet to the second.
            assertTrue(first.contains("【配偶者氏名】川口 太郎") && last.contains("【従前戸籍】神奈川県横浜市中区"));
        }
    }

    @Test
    void theKojinCertificatePrintsOnlyThePersonsAskedForWithItsOwnAttestation() throws Exception {
        KosekiContent kojin = sample("koseki-kojin-one-person");
        byte[] pdf = printed(kojin).signedPdf();
        assertTrue(PdfAValidation.failures(pdf).isEmpty(), "PDF/A-2b");
        String text = text(pdf);
        assertTrue(text.contains("個人事項証明") && flat(text).contains(KOJIN));
        assertFalse(flat(text).contains(ZENBU));
        assertTrue(text.contains("【名】𠮷子") && text.contains("【生年月日】昭和59年2月29日"));
        assertTrue(text.contains("川口 太郎"), "筆頭者 in the box");
        assertFalse(text.contains("【名】太郎") || text.contains("【名】花子") || text.contains("【名】一郎"),
                "no other person of the 戸籍");
        assertEquals(1, count(text, "戸籍に記録されている者"));
        assertTrue(text.contains("1/1"));
    }

    @Test
    void variantGlyphNamesRoundTripThroughActualText() throws Exception {
        byte[] pdf = printed(sample("koseki-kojin-ivs-name")).signedPdf();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            StringBuilder content = new StringBuilder();
            for (PDStream stream : (Iterable<PDStream>) () -> doc.getPage(0).getContentStreams()) {
                content.append(new String(stream.toByteArray(), StandardCharsets.ISO_8859_1));
            }
            // 邉 U+9089 + U+E0110 (DB40 DD10) and 葛 U+845B + U+E0102 (DB40 DD02), as UTF-16BE.
            assertTrue(content.toString().contains("/ActualText <FEFF9089DB40DD10>"), "邉 + E0110 given back");
            assertTrue(content.toString().contains("/ActualText <FEFF845BDB40DD02>"), "葛 + E0102 given back");
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text.contains("𠮷男") && text.contains("髙子"), "外字 outside the BMP and 髙 as they are");
            assertTrue(text.contains("乃"), "the rest of the 名");
        }
        assertTrue(PdfAValidation.failures(pdf).isEmpty(), "PDF/A-2b");
    }

    @Test
    void theFuhyoPrintsDomicileAndHeadOnlyWhenAsked() throws Exception {
        byte[] with = printed(sample("koseki-fuhyo-with-domicile")).signedPdf();
        byte[] without = printed(sample("koseki-fuhyo-without-domicile")).signedPdf();
        for (byte[] pdf : List.of(with, without)) {
            assertTrue(PdfAValidation.failures(pdf).isEmpty(), "PDF/A-2b");
            String text = text(pdf);
            assertTrue(text.contains("戸籍の附票の写し") && flat(text).contains(FUHYO));
            assertTrue(text.contains("【氏名】川口 太郎") && text.contains("【氏名】川口 𠮷子"), "full names");
            assertTrue(text.contains("【生年月日】昭和30年6月21日") && text.contains("【男女の別】男")
                    && text.contains("【男女の別】女"));
            assertTrue(text.contains("【住所】埼玉県さいたま市浦和区高砂三丁目15番1号")
                    && text.contains("【住所を定めた年月日】平成2年3月20日"), "the 住所 history with its dates");
            assertEquals(9, count(text, "【住所】"), "three addresses of three persons");
        }
        String asked = text(with);
        assertTrue(flat(asked).contains("本籍埼玉県川口市青木二丁目1番筆頭者川口太郎"), asked);
        String omitted = text(without);
        assertFalse(omitted.contains("本籍") || omitted.contains("筆頭者"), "omitted unless asked (2022-01-11)");
    }

    @Test
    void aValueThatDoesNotFitIsRefusedNeverCut() throws Exception {
        KosekiContent zenbu = sample("koseki-zenbu-two-sheets");
        KosekiAnswer a = zenbu.answer();
        String endless = "東京都千代田区平河町一丁目十番地".repeat(12);
        List<KosekiAnswer.Person> persons = new ArrayList<>(a.persons());
        KosekiAnswer.Person p = persons.get(0);
        persons.set(0, new KosekiAnswer.Person(p.personKey(), p.name(), p.birthDate(), p.sex(), p.father(),
                p.mother(), p.relationship(), p.removed(),
                List.of(new KosekiAnswer.Event("出生", List.of(new KosekiAnswer.Item("出生地", endless)))),
                p.addresses()));
        assertNotPrintable(KosekiContent.of(zenbu.issue(), withPersons(a, persons)));
        assertNotPrintable(KosekiContent.of(zenbu.issue(), new KosekiAnswer(a.requestId(), a.personKey(), a.kind(),
                endless, a.hittosha(), a.kosekiEvents(), a.persons())));
        KosekiContent fuhyo = sample("koseki-fuhyo-with-domicile");
        KosekiAnswer f = fuhyo.answer();
        KosekiAnswer.Person q = f.persons().get(0);
        KosekiAnswer.Person far = new KosekiAnswer.Person(q.personKey(), q.name(), q.birthDate(), q.sex(), null, null,
                null, false, List.of(), List.of(new KosekiAnswer.Address(endless, LocalDate.of(2020, 1, 1))));
        assertNotPrintable(KosekiContent.fuhyo(fuhyo.issue(), withPersons(f, List.of(far)), false));
        String longName = "川口 " + "寿限無".repeat(40);
        KosekiAnswer.Person named = new KosekiAnswer.Person(q.personKey(), longName, q.birthDate(), q.sex(), null,
                null, null, false, List.of(), q.addresses());
        assertNotPrintable(KosekiContent.fuhyo(fuhyo.issue(), withPersons(f, List.of(named)), true));
    }

    @Test
    void anAnswerWithoutDomicileOrAnImpossibleDateIsNotPrintable() throws Exception {
        KosekiContent zenbu = sample("koseki-kojin-one-person");
        KosekiAnswer a = zenbu.answer();
        assertNotPrintable(KosekiContent.of(zenbu.issue(), new KosekiAnswer(a.requestId(), a.personKey(), a.kind(),
                null, a.hittosha(), a.kosekiEvents(), a.persons())));
        KosekiAnswer.Person p = a.persons().get(0);
        KosekiAnswer.Person badDate = new KosekiAnswer.Person(p.personKey(), p.name(), p.birthDate(), p.sex(),
                p.father(), p.mother(), p.relationship(), false,
                List.of(new KosekiAnswer.Event("出生", List.of(new KosekiAnswer.Item("出生日", "1984-02-30")))),
                List.of());
        assertNotPrintable(KosekiContent.of(zenbu.issue(), withPersons(a, List.of(badDate))));
        assertThrows(IllegalArgumentException.class, () -> new KosekiContent(zenbu.issue(), a, false),
                "a 戸籍 certificate always prints 本籍 and 筆頭者");
    }

    @Test
    void aLargeKosekiRunsOverSeveralSheetsNumberedWithItsAttestationOnTheLast() throws Exception {
        KosekiContent zenbu = sample("koseki-zenbu-two-sheets");
        List<KosekiAnswer.Person> many = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            many.addAll(zenbu.answer().persons());
        }
        PrintOutcome.Printed printed = printed(KosekiContent.of(zenbu.issue(), withPersons(zenbu.answer(), many)));
        int pages = printed.pageCount();
        assertTrue(pages >= 4, pages + " sheets");
        try (PDDocument doc = Loader.loadPDF(printed.signedPdf())) {
            for (int page = 1; page <= pages; page++) {
                String text = text(doc, page);
                assertTrue(text.contains(page + "/" + pages), "n/N on sheet " + page);
                assertEquals(page == pages, flat(text).contains(ZENBU), "認証文 on sheet " + page);
                assertEquals(page == 1, text.contains("埼玉県川口市青木二丁目1番\n"), "本籍 box on sheet " + page);
            }
            assertEquals(12, count(new PDFTextStripper().getText(doc), "戸籍に記録されている者"));
        }
    }

    @Test
    void eachCopyOfAKosekiCertificateHasItsOwnNumberAndItsAttestationOnItsLastSheet() throws Exception {
        KosekiContent zenbu = sample("koseki-zenbu-two-sheets");
        Issue i = zenbu.issue();
        List<Issue.Copy> copies = List.of(Samples.copy("112038", 41), Samples.copy("112038", 42));
        Issue two = new Issue(i.municipalityName(), i.mayorTitle(), i.mayorName(), copies, i.issuedOn(), i.form(),
                i.sealColor());
        PrintOutcome.Printed printed = printed(KosekiContent.of(two, zenbu.answer()));
        assertEquals(4, printed.pageCount());
        try (PDDocument doc = Loader.loadPDF(printed.signedPdf())) {
            for (int page = 1; page <= 4; page++) {
                String text = text(doc, page);
                assertTrue(text.contains(copies.get((page - 1) / 2).issuanceNumber()), "its copy's number: " + page);
                assertTrue(text.contains(((page - 1) % 2 + 1) + "/2"), "numbered within its copy: " + page);
                assertEquals(page % 2 == 0, flat(text).contains(ZENBU), "認証文 on sheet " + page);
            }
        }
    }

    @Test
    void aRemovedPersonOfAFuhyoIsMarked() throws Exception {
        KosekiContent fuhyo = sample("koseki-fuhyo-without-domicile");
        KosekiAnswer f = fuhyo.answer();
        KosekiAnswer.Person p = f.persons().get(0);
        KosekiAnswer.Person removed = new KosekiAnswer.Person(p.personKey(), p.name(), p.birthDate(), p.sex(), null,
                null, null, true, List.of(), p.addresses());
        String text = text(printed(KosekiContent.fuhyo(fuhyo.issue(), withPersons(f, List.of(removed, f.persons()
                .get(1))), false)).signedPdf());
        assertEquals(1, count(flat(text), "消除"), text);
        assertFalse(text(printed(fuhyo).signedPdf()).contains("消"), "no mark when nobody is removed");
    }

    @Test
    void aNameWithoutTheKosekiSurnameIsPrintedWholeAsItIs() throws Exception {
        KosekiContent kojin = sample("koseki-kojin-one-person");
        KosekiAnswer a = kojin.answer();
        KosekiAnswer.Person p = a.persons().get(0);
        KosekiAnswer.Person other = new KosekiAnswer.Person(p.personKey(), "髙橋 花子", p.birthDate(), p.sex(),
                p.father(), p.mother(), p.relationship(), false, p.events(), List.of());
        String text = text(printed(KosekiContent.of(kojin.issue(), withPersons(a, List.of(other)))).signedPdf());
        assertTrue(text.contains("【氏名】髙橋 花子"), text);
    }

    @Test
    void eachKosekiFormIsCheckedWhenRead() {
        CertificateForms forms = CertificateForms.builtIn();
        assertEquals(FormLayout.Kind.KOSEKI_ZENBU, forms.layout("koseki-zenbu").kind());
        assertEquals(FormLayout.Kind.KOSEKI_KOJIN, forms.layout("koseki-kojin").kind());
        assertEquals(FormLayout.Kind.KOSEKI_FUHYO, forms.layout("koseki-fuhyo").kind());
        String fuhyoWithEvents = """
                {"name":"x","certificate":"KOSEKI_FUHYO","page":{"width":595,"height":842},
                 "sizes":{"value":10,"smallest":7,"label":8,"line":16},
                 "title":{"text":"t","x":0,"y":0,"size":9},"issuanceNumber":{"text":"n","x":0,"y":0,"size":9},
                 "pageNumber":{"text":"p","x":0,"y":0,"size":9},"verification":{"x":0,"y":0,"size":9},
                 "household":{"x":0,"y":80,"width":500,"height":40,
                   "address":{"label":"本籍","x":100,"y":10,"width":300},
                   "householder":{"label":"筆頭者","x":100,"y":30,"width":300}},
                 "persons":{"x":0,"top":140,"bottom":690,"width":500,"valueX":120,
                   "items":[{"item":"fullName","label":"氏名"},{"item":"birthDate","label":"生年月日"},
                            {"item":"address","label":"住所"},{"item":"addressSet","label":"住所を定めた年月日"},
                            {"item":"father","label":"父"}]},
                 "koseki":{"eventX":20,"person":"附票に記録されている者","events":"身分事項"},
                 "footer":{"anchor":"flow","blank":{"text":"以下余白","x":0,"y":0,"size":9},
                   "attestation":{"x":0,"y":0,"size":9,"width":400,"texts":{"FUHYO":"a"}},
                   "date":{"x":0,"y":0,"size":9,"style":"wareki"},"mayor":{"x":0,"y":0,"width":100},
                   "seal":{"x":0,"y":0,"size":50}}}""";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FormLayout.read(
                new ByteArrayInputStream(fuhyoWithEvents.getBytes(StandardCharsets.UTF_8)), "test"));
        assertTrue(e.getMessage().contains("a 附票 has no 戸籍事項 or 身分事項"), e.getMessage());
        assertTrue(e.getMessage().contains("item father has no place on a KOSEKI_FUHYO form"), e.getMessage());
        assertTrue(e.getMessage().contains("the form leaves out [sex]"), e.getMessage());
    }

    @Test
    void aKosekiContentOnAnotherKindOfFormIsAProgrammingError() {
        KosekiContent zenbu = sample("koseki-zenbu-two-sheets");
        Issue i = zenbu.issue();
        Issue fuhyoForm = new Issue(i.municipalityName(), i.mayorTitle(), i.mayorName(), i.copies(), i.issuedOn(),
                sample("koseki-fuhyo-with-domicile").issue().form(), i.sealColor());
        KosekiContent onFuhyoForm = KosekiContent.of(fuhyoForm, zenbu.answer());
        assertThrows(IllegalArgumentException.class, () -> printer.print(onFuhyoForm, signer));
    }

    private static KosekiAnswer withPersons(KosekiAnswer a, List<KosekiAnswer.Person> persons) {
        return new KosekiAnswer(a.requestId(), a.personKey(), a.kind(), a.honseki(), a.hittosha(), a.kosekiEvents(),
                persons);
    }

    private static void assertNotPrintable(KosekiContent content) {
        PrintOutcome outcome = printer.print(content, signer);
        assertTrue(outcome instanceof PrintOutcome.NotPrintable, String.valueOf(outcome));
    }

    private static PrintOutcome.Printed printed(KosekiContent content) {
        PrintOutcome outcome = printer.print(content, signer);
        assertTrue(outcome instanceof PrintOutcome.Printed, String.valueOf(outcome));
        return (PrintOutcome.Printed) outcome;
    }

    private static KosekiContent sample(String name) {
        return (KosekiContent) Samples.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow()
                .content();
    }

    private static String text(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private static String text(PDDocument doc, int page) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(doc);
    }

    /** The text without white space: the 除　籍 mark and a wrapped 認証文 read as one word. */
    private static String flat(String text) {
        return text.replaceAll("[\\s\\p{Z}]", "");
    }

    private static int count(String text, String word) {
        return text.split(java.util.regex.Pattern.quote(word), -1).length - 1;
    }
}
