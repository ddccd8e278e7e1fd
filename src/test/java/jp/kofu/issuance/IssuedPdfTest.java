package jp.kofu.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.kofu.TestNode;
import jp.kofu.client.CenterClient;
import jp.kofu.client.CenterRequests;
import jp.kofu.demo.DemoResidents;
import jp.kofu.contract.Json;
import jp.kofu.pki.Pem;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.text.PDFTextStripper;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PDF the center receives: what it says (by text extraction) and that its PAdES signature is intact, checked
 * independently of Kofu's signing code with Bouncy Castle's CMS verifier over the signed byte ranges.
 */
final class IssuedPdfTest {
    private static final Pattern TWELVE_DIGITS = Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])");
    private static final Pattern ELEVEN_DIGITS = Pattern.compile("(?<![0-9])[0-9]{11}(?![0-9])");
    private static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static byte[] issue(String transaction, String resident, String scope, boolean individualNumber,
                                boolean residentCode) throws Exception {
        ObjectNode p = CenterRequests.payload("112038", scope, OffsetDateTime.now());
        ((ObjectNode) p.get("options")).put("includeIndividualNumber", individualNumber);
        ((ObjectNode) p.get("options")).put("includeResidentCode", residentCode);
        String jws = CenterRequests.sign(node.card(resident), p);
        CenterClient.Response r = node.center().post("/center/v1/issuances",
                CenterRequests.issuanceBody(transaction, "SEJ-0012345", jws), "application/json");
        assertEquals(200, r.status(), r.text());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        return Base64.getDecoder().decode(answer.get("pdf").asText());
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    /** The text without the verification address, whose random code may hold long runs of digits. */
    private static String personalText(byte[] pdf) throws Exception {
        return text(pdf).replaceAll("https://\\S+", "");
    }

    @Test
    void printsNeitherIndividualNumberNorResidentCodeUnlessAsked() throws Exception {
        String text = personalText(issue("P-plain", DemoResidents.FAMILY_HEAD, "HOUSEHOLD_ALL", false, false));
        assertTrue(text.contains("川口"), "names are printed");
        assertTrue(text.contains("世帯全員の住民票の原本と相違ないことを証明する"), "attestation for the household");
        assertTrue(text.contains("川口市長"), "mayor");
        assertFalse(text.contains("個人番号"), "no 個人番号 label");
        assertFalse(text.contains("住民票コード"), "no 住民票コード label");
        assertFalse(TWELVE_DIGITS.matcher(text).find(), "no 12-digit number anywhere");
        assertFalse(ELEVEN_DIGITS.matcher(text).find(), "no 11-digit number anywhere");
    }

    @Test
    void printsIndividualNumberAndResidentCodeWhenAsked() throws Exception {
        String text = text(issue("P-numbers", DemoResidents.SPOUSE, "SELF", true, true));
        assertTrue(text.contains("個人番号"));
        assertTrue(text.contains("住民票コード"));
        assertTrue(TWELVE_DIGITS.matcher(text).find(), "the 12-digit 個人番号 is printed");
        assertTrue(ELEVEN_DIGITS.matcher(text).find(), "the 11-digit 住民票コード is printed");
        assertTrue(text.contains("髙橋"), "旧氏 is always printed, with its exact character");
        assertTrue(text.contains("この写しは、住民票の原本と相違ないことを証明する"), "attestation for one person");
    }

    @Test
    void printsAForeignResidentWithEveryItem() throws Exception {
        // Regression: a fixed box of eight rows refused a foreign resident asking for both numbers (NOT_ISSUABLE).
        String text = text(issue("P-foreign-all", DemoResidents.FOREIGN, "SELF", true, true));
        for (String item : List.of("通称", "国籍・地域", "在留資格", "在留カード等番号", "個人番号", "住民票コード")) {
            assertTrue(text.contains(item), item);
        }
    }

    @Test
    void printsAVerificationAddressThatAnswersWithoutPersonalData() throws Exception {
        byte[] pdf = issue("P-verify", DemoResidents.SPOUSE, "SELF", false, false);
        String text = text(pdf);
        java.util.regex.Matcher m = Pattern.compile("https://\\S+/verify/(\\S+)\\?d=(\\w+)").matcher(text);
        assertTrue(m.find(), "the verification address is printed");
        String path = "/verify/" + m.group(1) + "?d=" + m.group(2);
        assertEquals(m.group(), qrCodeOf(pdf), "the QR code holds the printed address");
        CenterClient.Response r = node.anonymous().get(path);
        assertEquals(200, r.status(), r.text());
        JsonNode answer = Json.MAPPER.readTree(r.body());
        assertEquals("ISSUED", answer.get("status").asText());
        assertFalse(r.text().contains("川口"), "no names");
        node.center().post("/center/v1/issuances/" + m.group(1) + "/completion",
                "{\"result\":\"PRINTED\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
        assertEquals("PRINTED", Json.MAPPER.readTree(node.anonymous().get(path).body()).get("status").asText());
        CenterClient.Response guessed = node.anonymous().get("/verify/" + m.group(1) + "?d=00000000000000000000");
        assertEquals(404, guessed.status(), "a wrong code tells nothing");
    }

    /** Renders the first page and reads its QR code, as a receiving office's phone would. */
    private static String qrCodeOf(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            java.awt.image.BufferedImage image = new org.apache.pdfbox.rendering.PDFRenderer(doc).renderImageWithDPI(0, 200);
            int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
            var source = new com.google.zxing.RGBLuminanceSource(image.getWidth(), image.getHeight(), rgb);
            var bitmap = new com.google.zxing.BinaryBitmap(new com.google.zxing.common.HybridBinarizer(source));
            return new com.google.zxing.qrcode.QRCodeReader().decode(bitmap,
                    java.util.Map.of(com.google.zxing.DecodeHintType.TRY_HARDER, true)).getText();
        }
    }

    @Test
    void isPdfA2bByVeraPdf() throws Exception {
        for (String resident : List.of(DemoResidents.FAMILY_HEAD, DemoResidents.FOREIGN)) {
            byte[] pdf = issue("P-pdfa-" + resident, resident, "HOUSEHOLD_ALL", true, false);
            List<String> failures = jp.kofu.pdf.PdfAValidation.failures(pdf);
            assertTrue(failures.isEmpty(), "PDF/A-2b failures:\n" + String.join("\n", failures));
        }
    }

    @Test
    void euDssValidatesPadesBaselineBChainedToTheSigningCa() throws Exception {
        byte[] pdf = issue("P-dss", DemoResidents.FAMILY_HEAD, "HOUSEHOLD_ALL", false, false);
        var reports = jp.kofu.signing.DssValidation.validate(pdf, Pem.readCertificates(node.pki().signingCa()).get(0));
        var simple = reports.getSimpleReport();
        assertEquals(1, simple.getSignaturesCount());
        String id = simple.getFirstSignatureId();
        assertEquals(eu.europa.esig.dss.enumerations.SignatureLevel.PAdES_BASELINE_B, simple.getSignatureFormat(id));
        var signature = reports.getDiagnosticData().getSignatureById(id);
        assertTrue(signature.isSignatureIntact(), "signature intact");
        assertTrue(signature.isSignatureValid(), "signature value valid");
        assertTrue(signature.isTrustedChain(), "chain ends at the municipality's signing CA");
    }

    @Test
    void signatureIsAnIntactPadesSignatureOfTheMunicipality() throws Exception {
        byte[] pdf = issue("P-signed", DemoResidents.FOREIGN, "SELF", false, false);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            List<PDSignature> signatures = doc.getSignatureDictionaries();
            assertEquals(1, signatures.size());
            PDSignature sig = signatures.get(0);
            assertEquals("ETSI.CAdES.detached", sig.getSubFilter());
            int[] range = sig.getByteRange();
            assertEquals(0, range[0]);
            assertEquals(pdf.length, range[2] + range[3], "the signature covers the whole file");
            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            signed.write(pdf, range[0], range[1]);
            signed.write(pdf, range[2], range[3]);
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(signed.toByteArray()), sig.getContents());
            SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
            X509CertificateHolder holder = (X509CertificateHolder) cms.getCertificates().getMatches(signer.getSID())
                    .iterator().next();
            assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(holder)), "CMS signature verifies");
            var attribute = signer.getSignedAttributes().get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
            assertNotNull(attribute, "signing-certificate-v2 present");
            byte[] certHash = SigningCertificateV2.getInstance(attribute.getAttrValues().getObjectAt(0))
                    .getCerts()[0].getCertHash();
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(holder.getEncoded()), certHash);

            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(holder.getEncoded()));
            X509Certificate signingCa = Pem.readCertificates(node.pki().signingCa()).get(0);
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(signingCa, null)));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
        }
    }
}
