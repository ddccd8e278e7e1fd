package jp.kofu.card;

import jp.kofu.Mutations;
import jp.kofu.pki.DevPki;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** 10,000 damaged JWS strings: the verifier answers Rejected (or, for harmless damage, the original payload). */
class CardRequestFuzzTest {
    private static final byte[] PAYLOAD = ("{\"requestId\":\"r-1\",\"municipalityCode\":\"112038\",\"channel\":\"KIOSK\","
            + "\"terminalId\":\"K-1\",\"signedAt\":\"2026-11-22T10:15:30+09:00\",\"nonce\":\"q3b1vW3l0mQ9d1bXb2o8Hw\","
            + "\"certificateType\":\"JUMINHYO\",\"scope\":\"SELF\",\"copies\":1}").getBytes(StandardCharsets.UTF_8);
    private static CardRequestVerifier verifier;
    private static String valid;

    @BeforeContainer
    static void setUp() throws Exception {
        Path dir = Files.createTempDirectory("kofu-fuzz");
        DevPki pki = DevPki.open(dir.resolve("dev-pki"), Clock.systemUTC());
        verifier = new CardRequestVerifier(pki.jpkiTrustAnchors(), pki.jpkiCrlDir(), Clock.systemUTC());
        valid = SoftwareCard.load(pki.issueCard("fuzz"), pki.password()).sign(PAYLOAD);
    }

    @Provide
    Arbitrary<String> damaged() {
        return Mutations.of(valid);
    }

    @Property(tries = 10_000)
    void neverThrowsAndNeverAcceptsAlteredContent(@ForAll("damaged") String jws) {
        CardVerification outcome = verifier.verify(jws);
        if (outcome instanceof CardVerification.Verified verified) {
            assertArrayEquals(PAYLOAD, verified.payload(), "only the signed payload can ever come out");
        }
    }
}
