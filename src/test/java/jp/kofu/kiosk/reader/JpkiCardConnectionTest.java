package jp.kofu.kiosk.reader;

import jp.kofu.pki.CertificateAuthority;
import jp.kofu.pki.Credential;
import jp.kofu.pki.Validity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PC/SC path against a recorded exchange with the JPKI AP: the exact APDUs (written out here by hand from the
 * public descriptions cited in docs/kiosk.md, not taken from the code under test), the card's answers, and that
 * the signature the "card" returns verifies with the certificate read from it.
 */
final class JpkiCardConnectionTest {
    private static final String SELECT_JPKI_AP = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";
    private static final String SELECT_CERT = "00 A4 02 0C 02 00 0A";
    private static final String SELECT_PIN = "00 A4 02 0C 02 00 18";
    private static final String SELECT_KEY = "00 A4 02 0C 02 00 17";
    private static final String OK = "9000";
    private static Credential card;
    private static String certHex;

    @BeforeAll
    static void makeCard() throws Exception {
        Validity validity = Validity.starting(Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(30));
        CertificateAuthority ca = CertificateAuthority.createRoot("CN=Test JPKI, C=JP", validity);
        card = ca.issueCardAuthentication(validity);
        certHex = HexFormat.of().withUpperCase().formatHex(card.certificate().getEncoded());
    }

    private static ScriptedCardChannel selected() {
        return new ScriptedCardChannel().expect(SELECT_JPKI_AP, OK);
    }

    /** The READ BINARY exchange of the certificate: its 4-byte header, then chunks of at most 256 bytes. */
    private static void expectCertificateRead(ScriptedCardChannel ch) {
        ch.expect(SELECT_CERT, OK);
        ch.expect("00 B0 00 00 04", certHex.substring(0, 8) + OK);
        int total = certHex.length() / 2;
        for (int offset = 0; offset < total; offset += 256) {
            int length = Math.min(256, total - offset);
            ch.expect(String.format("00 B0 %02X %02X %02X", offset >> 8, offset & 0xFF, length & 0xFF),
                    certHex.substring(offset * 2, (offset + length) * 2) + OK);
        }
    }

    @Test
    void readsTheCertificateVerifiesThePinAndHasTheCardSign() throws Exception {
        byte[] data = "eyJhbGciOiJSUzI1NiJ9.eyJ4IjoxfQ".getBytes(StandardCharsets.US_ASCII);
        byte[] digestInfo = DigestInfos.sha256(data);
        Signature raw = Signature.getInstance("NONEwithRSA");
        raw.initSign(card.privateKey());
        raw.update(digestInfo);
        String signatureHex = HexFormat.of().formatHex(raw.sign());

        ScriptedCardChannel ch = selected();
        expectCertificateRead(ch);
        ch.expect(SELECT_PIN, OK).expect("00 20 00 80", "63C3");
        ch.expect(SELECT_PIN, OK).expect("00 20 00 80 04 31 32 33 34", OK);
        ch.expect(SELECT_KEY, OK).expect("80 2A 00 80 33 " + HexFormat.of().formatHex(digestInfo) + " 00",
                signatureHex + OK);
        AtomicBoolean closed = new AtomicBoolean();
        try (JpkiCardConnection c = new JpkiCardConnection(ch, () -> closed.set(true))) {
            assertArrayEquals(card.certificate().getEncoded(), c.certificate().getEncoded());
            assertEquals(3, c.remainingTries());
            assertInstanceOf(PinCheck.Accepted.class, c.verifyPin("1234"));
            byte[] signature = c.sign(digestInfo);
            Signature verify = Signature.getInstance("SHA256withRSA");
            verify.initVerify(c.certificate().getPublicKey());
            verify.update(data);
            assertTrue(verify.verify(signature), "the card's signature verifies with its certificate");
        }
        assertTrue(closed.get(), "closing ends the card session");
        ch.assertFinished();
    }

    @Test
    void reportsTheTriesLeftAfterAWrongPinAndTheLock() {
        ScriptedCardChannel ch = selected()
                .expect(SELECT_PIN, OK).expect("00 20 00 80 04 30 30 30 30", "63C2")
                .expect(SELECT_PIN, OK).expect("00 20 00 80 04 30 30 30 31", "63C1")
                .expect(SELECT_PIN, OK).expect("00 20 00 80 04 30 30 30 32", "63C0")
                .expect(SELECT_PIN, OK).expect("00 20 00 80", "6983")
                .expect(SELECT_PIN, OK).expect("00 20 00 80 04 31 32 33 34", "6983");
        try (JpkiCardConnection c = new JpkiCardConnection(ch, () -> { })) {
            assertEquals(new PinCheck.Wrong(2), c.verifyPin("0000"));
            assertEquals(new PinCheck.Wrong(1), c.verifyPin("0001"));
            assertInstanceOf(PinCheck.Locked.class, c.verifyPin("0002"), "63C0: the third failure locks the card");
            assertEquals(0, c.remainingTries(), "6983: locked");
            assertInstanceOf(PinCheck.Locked.class, c.verifyPin("1234"), "even the right PIN is refused once locked");
        }
        ch.assertFinished();
    }

    @Test
    void neverSpendsATryOnSomethingThatIsNotAPin() {
        ScriptedCardChannel ch = selected();
        try (JpkiCardConnection c = new JpkiCardConnection(ch, () -> { })) {
            assertThrows(IllegalArgumentException.class, () -> c.verifyPin("12345"));
            assertThrows(IllegalArgumentException.class, () -> c.verifyPin("12a4"));
        }
        ch.assertFinished();
    }

    @Test
    void refusesToSignWithoutTheVerifiedPin() {
        ScriptedCardChannel ch = selected()
                .expect(SELECT_KEY, OK).expect("80 2A 00 80 33 " + HexFormat.of().formatHex(DigestInfos.sha256(new byte[1]))
                        + " 00", "6982");
        try (JpkiCardConnection c = new JpkiCardConnection(ch, () -> { })) {
            CardReaderException e = assertThrows(CardReaderException.class, () -> c.sign(DigestInfos.sha256(new byte[1])));
            assertEquals(CardReaderException.Reason.REFUSED, e.reason());
        }
        ch.assertFinished();
    }

    @Test
    void tellsACardWithoutTheJpkiApplication() {
        ScriptedCardChannel ch = new ScriptedCardChannel().expect(SELECT_JPKI_AP, "6A82");
        CardReaderException e = assertThrows(CardReaderException.class, () -> new JpkiCardConnection(ch, () -> { }));
        assertEquals(CardReaderException.Reason.NOT_A_JPKI_CARD, e.reason());
    }
}
