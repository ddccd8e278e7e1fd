package jp.kofu.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import jp.kofu.pki.DevPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DemoCardTest {

    @Test
    void demoCardOfTheDevelopmentPkiPassesVerification(@TempDir Path folder) {
        MutableClock clock = new MutableClock(Clock.systemUTC().instant());
        DevPki pki = DevPki.open(folder.resolve("dev-pki"), clock);
        CardRequestVerifier verifier = new CardRequestVerifier(pki.jpkiTrustAnchors(), pki.jpkiCrlDir(), clock);
        byte[] payload = "{\"requestId\":\"demo\"}".getBytes(StandardCharsets.UTF_8);

        String jws = SoftwareCard.load(pki.issueCard("demo"), pki.password()).sign(payload);

        CardVerification.Verified verified = assertInstanceOf(CardVerification.Verified.class, verifier.verify(jws));
        assertArrayEquals(payload, verified.payload());
        clock.advance(Duration.ofDays(31)); // the dev CRL's nextUpdate has passed and nobody renewed it
        assertEquals(new CardVerification.Rejected(CardFailure.REVOCATION_UNKNOWN), verifier.verify(jws));
        pki.refreshJpkiCrlIfDue();
        clock.advance(Duration.ofSeconds(2));
        assertInstanceOf(CardVerification.Verified.class, verifier.verify(jws));
    }
}
