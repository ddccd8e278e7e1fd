package jp.kofu.card;

import static jp.kofu.card.TestJpki.NOW;
import static jp.kofu.card.TestJpki.b64;
import static jp.kofu.card.TestJpki.rs256;
import static jp.kofu.card.TestJpki.x5c;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.Credential;
import jp.kofu.pki.Pem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CardRequestVerifierTest {
    private static final byte[] PAYLOAD =
            "{\"requestId\":\"7a0e2c1e\",\"nonce\":\"q3b1vW3l0mQ9d1bXb2o8Hw\",\"copies\":1}\n"
                    .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path folder;
    private TestJpki jpki;
    private Credential card;

    @BeforeEach
    void createPki() throws Exception {
        jpki = new TestJpki(folder);
        card = jpki.card();
        jpki.writeCrl("root.crl", jpki.root);
    }

    private CardFailure failureOf(String jws) {
        CardVerification result = jpki.verifier().verify(jws);
        return assertInstanceOf(CardVerification.Rejected.class, result, "expected a rejection").failure();
    }

    private String header(String extra) throws Exception {
        return "{\"alg\":\"RS256\",\"x5c\":" + x5c(card.certificate()) + extra + "}";
    }

    @Test
    void acceptsCardOfTrustAnchorAndKeepsExactPayloadBytes() {
        CardVerification result = jpki.verifier().verify(SoftwareCard.of(card).sign(PAYLOAD));

        CardVerification.Verified verified = assertInstanceOf(CardVerification.Verified.class, result);
        assertArrayEquals(PAYLOAD, verified.payload());
        assertEquals(CardId.of(card.certificate()), verified.card().id());
        assertEquals(card.certificate(), verified.card().certificate());
    }

    @Test
    void acceptsCardOfIntermediateListedInTrustAnchorsFile() throws Exception {
        CertificateAuthority intermediate = jpki.root.issueIntermediate("CN=JPKI Sub CA (TEST), C=JP", TestJpki.years(-1, 5));
        Pem.writeCertificates(jpki.trustAnchors, List.of(jpki.root.certificate(), intermediate.certificate()));
        jpki.writeCrl("sub.crl", intermediate);
        Credential subCard = intermediate.issueCardAuthentication(TestJpki.years(-1, 3));

        assertInstanceOf(CardVerification.Verified.class, jpki.verifier().verify(SoftwareCard.of(subCard).sign(PAYLOAD)));
    }

    @Test
    void acceptsIntermediateSentInX5cAfterTheCard() throws Exception {
        CertificateAuthority intermediate = jpki.root.issueIntermediate("CN=JPKI Sub CA (TEST), C=JP", TestJpki.years(-1, 5));
        jpki.writeCrl("sub.crl", intermediate);
        Credential subCard = intermediate.issueCardAuthentication(TestJpki.years(-1, 3));
        String withoutIntermediate = SoftwareCard.of(subCard).sign(PAYLOAD);
        String withIntermediate = rs256("{\"alg\":\"RS256\",\"x5c\":"
                + x5c(subCard.certificate(), intermediate.certificate()) + "}", PAYLOAD, subCard.privateKey());

        assertEquals(CardFailure.CARD_UNTRUSTED, failureOf(withoutIntermediate));
        assertInstanceOf(CardVerification.Verified.class, jpki.verifier().verify(withIntermediate));
    }

    @Test
    void refusesAlgNone() throws Exception {
        String jws = b64(("{\"alg\":\"none\",\"x5c\":" + x5c(card.certificate()) + "}").getBytes(StandardCharsets.UTF_8))
                + "." + b64(PAYLOAD) + ".";

        assertEquals(CardFailure.SIGNATURE_INVALID, failureOf(jws));
    }

    @Test
    void refusesHs256KeyedWithTheCertificatesPublicKey() throws Exception {
        // The classic confusion attack: an HMAC whose secret is the (public) key a verifier would use for RS256.
        String input = b64(("{\"alg\":\"HS256\",\"x5c\":" + x5c(card.certificate()) + "}")
                .getBytes(StandardCharsets.UTF_8)) + "." + b64(PAYLOAD);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(card.certificate().getPublicKey().getEncoded(), "HmacSHA256"));
        String jws = input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

        assertEquals(CardFailure.SIGNATURE_INVALID, failureOf(jws));
    }

    @Test
    void refusesOtherAlgorithmsEvenWhenSignedWithTheCardKey() throws Exception {
        for (String alg : List.of("PS256", "RS512", "ES256", "rs256", "RS256 ")) {
            String jws = rs256("{\"alg\":\"" + alg + "\",\"x5c\":" + x5c(card.certificate()) + "}", PAYLOAD,
                    card.privateKey());
            assertEquals(CardFailure.SIGNATURE_INVALID, failureOf(jws), alg);
        }
    }

    @Test
    void refusesCritHeader() throws Exception {
        assertEquals(CardFailure.SIGNATURE_INVALID,
                failureOf(rs256(header(",\"crit\":[\"exp\"],\"exp\":1"), PAYLOAD, card.privateKey())));
    }

    @Test
    void refusesJkuX5uAndJwkHeaders() throws Exception {
        for (String extra : List.of(",\"jku\":\"https://attacker.invalid/keys\"", ",\"x5u\":\"https://attacker.invalid/c\"",
                ",\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}")) {
            assertEquals(CardFailure.SIGNATURE_INVALID, failureOf(rs256(header(extra), PAYLOAD, card.privateKey())), extra);
        }
    }

    @Test
    void refusesTamperedPayload() {
        String[] parts = SoftwareCard.of(card).sign(PAYLOAD).split("\\.");
        String tampered = parts[0] + "." + b64("{\"copies\":10}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertEquals(CardFailure.SIGNATURE_INVALID, failureOf(tampered));
    }

    @Test
    void refusesSignatureByAnotherKeyThanTheCertificates() throws Exception {
        Credential other = jpki.card();

        assertEquals(CardFailure.SIGNATURE_INVALID, failureOf(rs256(header(""), PAYLOAD, other.privateKey())));
    }

    @Test
    void refusesMalformedRequests() throws Exception {
        String good = SoftwareCard.of(card).sign(PAYLOAD);
        String[] parts = good.split("\\.");
        List<String> malformed = List.of("", "abc", parts[0] + "." + parts[1], good + ".x", "!!." + parts[1] + "." + parts[2],
                b64("not json".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2],
                rs256("{\"alg\":\"RS256\"}", PAYLOAD, card.privateKey()),
                rs256("{\"alg\":\"RS256\",\"x5c\":[]}", PAYLOAD, card.privateKey()),
                rs256("{\"alg\":\"RS256\",\"x5c\":\"MIIB\"}", PAYLOAD, card.privateKey()),
                rs256("{\"alg\":\"RS256\",\"x5c\":[\"bm90IGEgY2VydGlmaWNhdGU=\"]}", PAYLOAD, card.privateKey()),
                parts[0] + "." + "A".repeat(CardRequestVerifier.MAX_JWS_LENGTH) + "." + parts[2]);
        for (String jws : malformed) {
            assertEquals(CardFailure.MALFORMED, failureOf(jws), jws.length() > 80 ? jws.substring(0, 80) : jws);
        }
        assertEquals(CardFailure.MALFORMED, failureOf(null));
    }

    @Test
    void refusesCardOfUnknownCa() {
        CertificateAuthority stranger = CertificateAuthority.createRoot(TestJpki.ROOT_DN, TestJpki.years(-1, 10));
        jpki.writeCrl("stranger.crl", stranger);

        assertEquals(CardFailure.CARD_UNTRUSTED,
                failureOf(SoftwareCard.of(stranger.issueCardAuthentication(TestJpki.years(-1, 5))).sign(PAYLOAD)));
    }

    @Test
    void refusesCardWithoutDigitalSignatureKeyUsage() {
        Credential noSignature = jpki.root.issueCardWithoutDigitalSignature(TestJpki.years(-1, 5));

        assertEquals(CardFailure.CARD_UNTRUSTED, failureOf(SoftwareCard.of(noSignature).sign(PAYLOAD)));
    }

    @Test
    void refusesCardWithRsaKeyShorterThan2048Bits() throws Exception {
        Credential weak = TestJpki.unusualCard(jpki.root, 1024, "SHA256withRSA");
        String jws = rs256(header("").replace(x5c(card.certificate()), x5c(weak.certificate())), PAYLOAD,
                weak.privateKey());

        assertEquals(CardFailure.CARD_UNTRUSTED, failureOf(jws));
    }

    @Test
    void refusesCardSignedWithSha1() throws Exception {
        Credential sha1 = TestJpki.unusualCard(jpki.root, 2048, "SHA1withRSA");

        assertEquals(CardFailure.CARD_UNTRUSTED, failureOf(SoftwareCard.of(sha1).sign(PAYLOAD)));
    }

    @Test
    void refusesCaCertificateUsedAsCard() {
        assertEquals(CardFailure.CARD_UNTRUSTED, failureOf(SoftwareCard.of(jpki.root.credential()).sign(PAYLOAD)));
    }

    @Test
    void refusesExpiredCard() {
        Credential expired = jpki.root.issueCardAuthentication(TestJpki.years(-6, 5));

        assertEquals(CardFailure.CARD_EXPIRED, failureOf(SoftwareCard.of(expired).sign(PAYLOAD)));
    }

    @Test
    void refusesCardNotYetValid() {
        Credential future = jpki.root.issueCardAuthentication(
                jp.kofu.pki.Validity.starting(NOW.plus(Duration.ofHours(1)), Duration.ofDays(365)));

        assertEquals(CardFailure.CARD_EXPIRED, failureOf(SoftwareCard.of(future).sign(PAYLOAD)));
    }

    @Test
    void refusesExpiredCardOfUnknownCaAsUntrusted() {
        CertificateAuthority stranger = CertificateAuthority.createRoot("CN=Stranger, C=JP", TestJpki.years(-10, 20));

        assertEquals(CardFailure.CARD_UNTRUSTED, failureOf(
                SoftwareCard.of(stranger.issueCardAuthentication(TestJpki.years(-6, 5))).sign(PAYLOAD)));
    }

    @Test
    void refusesCardOnCrl() {
        jpki.writeCrl("root.crl", jpki.root, card.certificate().getSerialNumber());

        assertEquals(CardFailure.CARD_REVOKED, failureOf(SoftwareCard.of(card).sign(PAYLOAD)));
    }

    @Test
    void readsDerCrls() throws Exception {
        Files.delete(jpki.crlDir.resolve("root.crl"));
        Files.write(jpki.crlDir.resolve("root.der"), jpki.root.issueCrl(NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(1)), List.of(card.certificate().getSerialNumber())).getEncoded());

        assertEquals(CardFailure.CARD_REVOKED, failureOf(SoftwareCard.of(card).sign(PAYLOAD)));
    }

    @Test
    void failsClosedWithoutCrl() throws Exception {
        Files.delete(jpki.crlDir.resolve("root.crl"));

        assertEquals(CardFailure.REVOCATION_UNKNOWN, failureOf(SoftwareCard.of(card).sign(PAYLOAD)));
    }

    @Test
    void failsClosedWhenCrlIsPastNextUpdate() {
        jpki.writeCrl("root.crl", jpki.root.issueCrl(NOW.minus(Duration.ofDays(8)), NOW.minus(Duration.ofSeconds(1)),
                List.of()));

        assertEquals(CardFailure.REVOCATION_UNKNOWN, failureOf(SoftwareCard.of(card).sign(PAYLOAD)));
    }

    @Test
    void ignoresCrlSignedByAnotherKeyWithTheIssuersName() {
        CertificateAuthority impostor = CertificateAuthority.createRoot(TestJpki.ROOT_DN, TestJpki.years(-1, 10));
        jpki.writeCrl("root.crl", impostor);

        assertEquals(CardFailure.REVOCATION_UNKNOWN, failureOf(SoftwareCard.of(card).sign(PAYLOAD)));
    }

    @Test
    void ignoresUnreadableCrlFilesNextToGoodOnes() throws Exception {
        Files.writeString(jpki.crlDir.resolve("garbage.crl"), "not a CRL");

        assertInstanceOf(CardVerification.Verified.class, jpki.verifier().verify(SoftwareCard.of(card).sign(PAYLOAD)));
    }

    @Test
    void picksUpCrlAddedWhileRunning() throws Exception {
        Files.delete(jpki.crlDir.resolve("root.crl"));
        CardRequestVerifier verifier = jpki.verifier();
        String jws = SoftwareCard.of(card).sign(PAYLOAD);
        assertEquals(new CardVerification.Rejected(CardFailure.REVOCATION_UNKNOWN), verifier.verify(jws));

        jpki.writeCrl("root.crl", jpki.root);
        jpki.clock.advance(Duration.ofSeconds(2));
        assertInstanceOf(CardVerification.Verified.class, verifier.verify(jws));

        jpki.writeCrl("root-2.crl", jpki.root.issueCrl(NOW, NOW.plus(Duration.ofDays(7)),
                List.of(card.certificate().getSerialNumber())));
        jpki.clock.advance(Duration.ofSeconds(2));
        assertEquals(new CardVerification.Rejected(CardFailure.CARD_REVOKED), verifier.verify(jws));
    }

    @Test
    void decidesAgainAtEachCallWithoutCachingAnOutcome() {
        CardRequestVerifier verifier = jpki.verifier();
        String jws = SoftwareCard.of(card).sign(PAYLOAD);
        assertInstanceOf(CardVerification.Verified.class, verifier.verify(jws));

        jpki.clock.advance(Duration.ofDays(8)); // the CRL written in @BeforeEach is now past its nextUpdate

        assertEquals(new CardVerification.Rejected(CardFailure.REVOCATION_UNKNOWN), verifier.verify(jws));
    }

    @Test
    void tellsWhetherCardWasValidAtAnInstant() {
        CardVerification.Verified verified = (CardVerification.Verified) jpki.verifier()
                .verify(SoftwareCard.of(card).sign(PAYLOAD));
        X509Certificate certificate = verified.card().certificate();

        assertTrue(jpki.verifier().isValidAt(verified.card(), certificate.getNotBefore().toInstant()));
        assertTrue(jpki.verifier().isValidAt(verified.card(), certificate.getNotAfter().toInstant()));
        assertFalse(jpki.verifier().isValidAt(verified.card(), certificate.getNotAfter().toInstant().plusSeconds(1)));
    }

    @Test
    void refusesTrustAnchorsFileWithoutSelfSignedCertificate() throws Exception {
        Pem.writeCertificates(jpki.trustAnchors, List.of(card.certificate()));

        assertThrows(IllegalArgumentException.class, jpki::verifier);
    }
}
