package jp.kofu.kiosk.reader;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import jp.kofu.TestFiles;
import jp.kofu.pki.DevPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The software card behaves as the real card does: its PIN counter survives sessions and restarts, and it locks. */
final class SoftwareCardReaderTest {
    private static Path dir;
    private static DevPki pki;

    @BeforeAll
    static void makePki() throws Exception {
        dir = Files.createTempDirectory("kofu-softcard");
        pki = DevPki.open(dir.resolve("dev-pki"), Clock.systemUTC());
        pki.issueCard("alice");
        pki.issueCard("bob");
    }

    @AfterAll
    static void remove() {
        TestFiles.deleteRecursively(dir);
    }

    private static SoftwareCardReader reader() {
        return new SoftwareCardReader(pki.directory().resolve("cards"), pki.password(), dir.resolve("card-state"));
    }

    @Test
    void signsARequestThatVerifiesWithTheCardsCertificate() throws Exception {
        SoftwareCardReader reader = reader();
        reader.insert("alice");
        try (CardConnection card = reader.connect()) {
            assertInstanceOf(PinCheck.Accepted.class, card.verifyPin(SoftwareCardReader.DEMO_PIN));
            String jws = CardJws.sign(card, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            JWSObject parsed = JWSObject.parse(jws);
            assertEquals("RS256", parsed.getHeader().getAlgorithm().getName());
            assertEquals(1, parsed.getHeader().getX509CertChain().size());
            assertTrue(parsed.verify(new RSASSAVerifier((RSAPublicKey) card.certificate().getPublicKey())));
            assertEquals("{\"a\":1}", parsed.getPayload().toString());
        }
    }

    @Test
    void refusesToSignBeforeThePinAndAfterTheCardIsTakenAway() {
        SoftwareCardReader reader = reader();
        reader.insert("alice");
        CardConnection card = reader.connect();
        assertEquals(CardReaderException.Reason.REFUSED,
                assertThrows(CardReaderException.class, () -> card.sign(new byte[51])).reason());
        card.verifyPin(SoftwareCardReader.DEMO_PIN);
        reader.remove();
        assertThrows(CardReaderException.class, () -> card.sign(new byte[51]));
    }

    @Test
    void locksAfterThreeWrongPinsAcrossSessionsAndRestarts() {
        SoftwareCardReader first = reader();
        first.insert("bob");
        try (CardConnection card = first.connect()) {
            assertEquals(new PinCheck.Wrong(2), card.verifyPin("0000"));
        }
        SoftwareCardReader restarted = reader();
        restarted.insert("bob");
        try (CardConnection card = restarted.connect()) {
            assertEquals(2, card.remainingTries(), "the counter is the card's, not the session's");
            assertEquals(new PinCheck.Wrong(1), card.verifyPin("0001"));
            assertInstanceOf(PinCheck.Locked.class, card.verifyPin("0002"));
            assertInstanceOf(PinCheck.Locked.class, card.verifyPin(SoftwareCardReader.DEMO_PIN));
            assertEquals(0, card.remainingTries());
        }
    }
}
