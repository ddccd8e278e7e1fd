package jp.kofu.pdf;

import jp.kofu.demo.Samples;
import jp.kofu.signing.DocumentSigner;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.fontbox.ttf.model.GsubData;
import org.apache.fontbox.ttf.model.ScriptFeature;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.BitSet;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issued file as {@link CertificateFile} writes it in one pass: one revision, signed over all of it but the
 * signature; the font as a subset of exactly the glyphs shown; PDF/A-2b; and glyphs composed by GSUB where the font
 * composes them although GSUB is skipped for text without marks.
 */
final class CertificateFileTest {
    private static CertificatePrinter printer;
    private static DocumentSigner signer;
    private static TrueTypeFont ipamj;

    @BeforeAll
    static void setUp() throws Exception {
        try (InputStream font = CertificateFileTest.class.getResourceAsStream(FontPool.FONT)) {
            ipamj = new TTFParser().parse(new RandomAccessReadBuffer(font));
        }
        printer = new CertificatePrinter();
        signer = Samples.signer(Files.createTempDirectory("kofu-certificate-file-test"));
    }

    private static Samples.Case sample(String name) {
        return Samples.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static byte[] print(CertificateContent content) {
        PrintOutcome outcome = printer.print(content, signer);
        assertTrue(outcome instanceof PrintOutcome.Printed, outcome.toString());
        return ((PrintOutcome.Printed) outcome).signedPdf();
    }

    @Test
    void isOneRevisionSignedOverEverythingButTheSignature() throws Exception {
        byte[] pdf = print(sample("household-all-options").content());
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        assertEquals(text.indexOf("%%EOF"), text.lastIndexOf("%%EOF"), "a single revision");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDSignature signature = doc.getSignatureDictionaries().get(0);
            int[] range = signature.getByteRange();
            assertEquals(0, range[0]);
            assertEquals('<', pdf[range[1]]);
            assertEquals('>', pdf[range[2] - 1]);
            assertEquals(pdf.length, range[2] + range[3]);
            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            signed.write(pdf, 0, range[1]);
            signed.write(pdf, range[2], range[3]);
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(signed.toByteArray()),
                    signature.getContents());
            SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
            X509CertificateHolder holder = (X509CertificateHolder) cms.getCertificates().getMatches(info.getSID())
                    .iterator().next();
            assertTrue(info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(holder)), "CMS signature verifies");
            assertNotNull(info.getSignedAttributes().get(PKCSObjectIdentifiers.id_aa_signingCertificateV2));
            assertEquals(null, info.getSignedAttributes().get(PKCSObjectIdentifiers.pkcs_9_at_signingTime),
                    "PAdES: the time is in the signature dictionary, not in the CMS");
            assertEquals("ETSI.CAdES.detached", signature.getSubFilter());
        }
    }

    @Test
    void embedsASubsetOfExactlyTheGlyphsShownAndNothingOfEarlierDocuments() throws Exception {
        byte[] six = print(sample("household-6-two-sheets").content()); // prints 邊造
        byte[] self = print(sample("self-no-options").content());
        int hen = ipamj.getUnicodeCmapLookup().getGlyphId('邊');
        for (byte[] pdf : List.of(six, self)) {
            try (PDDocument doc = Loader.loadPDF(pdf)) {
                BitSet scanned = new BitSet();
                PDType0Font font = null;
                for (PDPage page : doc.getPages()) {
                    try (InputStream in = page.getContents()) {
                        assertTrue(FontSubset.scanStrings(in.readAllBytes(), scanned));
                    }
                    for (COSName name : page.getResources().getFontNames()) {
                        PDFont f = page.getResources().getFont(name);
                        assertTrue(font == null || font.getCOSObject() == f.getCOSObject(), "one font dictionary");
                        font = (PDType0Font) f;
                    }
                }
                assertNotNull(font);
                Set<Integer> shown = new HashSet<>();
                scanned.stream().forEach(shown::add);
                assertTrue(font.getName().matches("[A-Z]{6}\\+IPAmjMincho"), font.getName());
                assertTrue(font.isEmbedded());
                TrueTypeFont embedded = new TTFParser().parseEmbedded(new ByteArrayInputStream(
                        font.getDescendantFont().getFontDescriptor().getFontFile2().toByteArray()));
                Set<Integer> withNotdef = new HashSet<>(shown);
                withNotdef.add(0);
                assertEquals(withNotdef.size(), embedded.getNumberOfGlyphs(), "no glyph but those shown (and .notdef)");
                for (int cid : shown) {
                    assertTrue(font.getDescendantFont().codeToGID(cid) > 0, "CID " + cid + " is in the subset");
                    assertEquals(Math.round(ipamj.getAdvanceWidth(cid) * 1000f / ipamj.getUnitsPerEm()),
                            Math.round(font.getDescendantFont().getWidth(cid)), "width of CID " + cid);
                }
                assertEquals(pdf == six, shown.contains(hen), "邊 only where it is printed");
            }
        }
    }

    @Test
    void composesAMarkWithItsBaseAsTheFontDoes() throws Exception {
        FontPool fonts = FontPool.shared();
        TrueTypeFont ttf = ipamj;
        GsubData gsub = ttf.getGsubData();
        ScriptFeature ccmp = gsub.getFeature("ccmp");
        List<Integer> pair = List.of(ttf.getUnicodeCmapLookup().getGlyphId('か'),
                ttf.getUnicodeCmapLookup().getGlyphId(0x309A));
        assertTrue(ccmp.canReplaceGlyphs(pair), "IPAmj明朝 composes か + U+309A");
        int composed = ccmp.getReplacementForGlyphs(pair);
        assertTrue(fonts.composes("か\u309A") && !fonts.composes("川口 太郎"));

        JuminhyoContent c = (JuminhyoContent) sample("self-no-options").content();
        Issue i = c.issue();
        JuminhyoContent marked = new JuminhyoContent(new Issue(i.municipalityName(), i.mayorTitle(), "川口 か\u309Aこ",
                i.copies(), i.issuedOn(), i.form(), i.sealColor()), c.scope(), c.persons(), c.items());
        BitSet shown = new BitSet();
        try (PDDocument doc = Loader.loadPDF(print(marked)); InputStream in = doc.getPage(0).getContents()) {
            assertTrue(FontSubset.scanStrings(in.readAllBytes(), shown));
        }
        assertTrue(shown.get(composed), "the composed glyph is shown");
        assertFalse(shown.get(pair.get(1)), "the mark is not shown on its own");
    }

    @Test
    void neverDrawsAMarkWithoutGsub() {
        FontPool fonts = FontPool.shared();
        FontPool.Lent lent = fonts.borrow((Record) sample("self-no-options").content());
        try {
            assertThrows(IllegalStateException.class, () -> fonts.runs("か\u309A"));
            assertEquals(List.of(new FontPool.Run("川口", 0)), fonts.runs("川口"));
        } finally {
            fonts.giveBack(lent);
        }
    }

    @Test
    void isPdfA2bByVeraPdf() throws Exception {
        org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider.initialise();
        for (Samples.Case c : List.of(sample("household-6-two-sheets"), sample("foreign-resident-alias"))) {
            byte[] pdf = print(c.content());
            try (org.verapdf.pdfa.PDFAParser parser = org.verapdf.pdfa.Foundries.defaultInstance().createParser(
                    new ByteArrayInputStream(pdf), org.verapdf.pdfa.flavours.PDFAFlavour.PDFA_2_B);
                 org.verapdf.pdfa.PDFAValidator validator = org.verapdf.pdfa.Foundries.defaultInstance()
                         .createValidator(org.verapdf.pdfa.flavours.PDFAFlavour.PDFA_2_B, false)) {
                var result = validator.validate(parser);
                StringBuilder failures = new StringBuilder();
                result.getTestAssertions().stream()
                        .filter(a -> a.getStatus() == org.verapdf.pdfa.results.TestAssertion.Status.FAILED)
                        .map(a -> a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber() + ": " + a.getMessage())
                        .distinct().forEach(m -> failures.append(m).append('\n'));
                assertTrue(result.isCompliant(), c.name() + " PDF/A-2b failures:\n" + failures);
            }
        }
    }

    @Test
    void writesTheXmpPacketThatXmpBoxWrites() {
        Calendar created = new GregorianCalendar(TimeZone.getTimeZone("Asia/Tokyo"));
        created.setTimeInMillis(1_795_000_000_000L);
        for (String title : List.of("住民票の写し 112038-20261123-900001",
                "A & B <C> \"D\" 'E' 髙橋 𠮷 \t x\r\n")) {
            assertArrayEquals(PdfA.xmpByXmpBox(title, "川口市長 & <助役>", created),
                    PdfA.xmp(title, "川口市長 & <助役>", created), title);
        }
    }
}
