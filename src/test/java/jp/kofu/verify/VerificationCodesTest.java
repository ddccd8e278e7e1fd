package jp.kofu.verify;

import jp.kofu.TestMunicipalities;
import jp.kofu.TestNode;
import jp.kofu.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code after {@code ?d=} of a verification address is made with the key of the number's municipality. */
final class VerificationCodesTest {
    private static final String A = "112038";
    private static final String B = "131016";
    private static TestNode node;
    private static Path file;

    @BeforeAll
    static void start() throws Exception {
        file = TestMunicipalities.file(TestMunicipalities.yaml(
            TestMunicipalities.kawaguchi("""
                serviceHours: "06:30-23:00"
                fees: { JUMINHYO: 200 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                """),
            TestMunicipalities.chiyoda("""
                serviceHours: "06:30-23:00"
                fees: { JUMINHYO: 300 }
                syncClients: ["CN=kofu-dev-juki-feed, O=Kofu (DEV), C=JP"]
                """)));
        node = TestNode.start(Map.of("kofu.municipalities-file", file.toString()), null);
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        Files.deleteIfExists(file);
    }

    @Test
    void makesTheCodeWithTheKeyOfTheNumbersMunicipality() {
        VerificationCodes codes = node.context().getBean(VerificationCodes.class);
        byte[] keyA = key("verify-key:" + A);
        byte[] keyB = key("verify-key:" + B);
        assertFalse(Arrays.equals(keyA, keyB), "two municipalities, two keys");

        String ofA = A + "-20261122-000042";
        String ofB = B + "-20261122-000042";
        assertEquals(hmac(keyA, ofA), codes.code(ofA));
        assertEquals(hmac(keyB, ofB), codes.code(ofB));
        assertTrue(codes.matches(ofA, codes.code(ofA)));
        assertFalse(codes.matches(ofB, codes.code(ofA)), "A's code does not open B's number of the same day and sequence");
        assertFalse(codes.matches(ofB, hmac(keyA, ofB)), "A's key makes no code of B's numbers");
        assertTrue(codes.url(ofB).endsWith("/verify/" + ofB + "?d=" + hmac(keyB, ofB)), codes.url(ofB));
    }

    @Test
    void makesNoCodeForAMunicipalityNotServedHere() {
        VerificationCodes codes = node.context().getBean(VerificationCodes.class);
        assertThrows(IllegalStateException.class, () -> codes.code("271004-20261122-000001"));
        assertFalse(codes.matches("271004-20261122-000001", "00000000000000000000"));
    }

    @Test
    void everyNodeOfAClusterHasTheSameKeys() {
        try (TestNode sibling = node.sibling(Map.of("kofu.municipalities-file", file.toString()), null)) {
            String number = B + "-20261122-000007";
            assertEquals(node.context().getBean(VerificationCodes.class).code(number),
                    sibling.context().getBean(VerificationCodes.class).code(number));
        }
    }

    @Test
    void acceptsTheOldDeploymentWideKeyOnlyForNumbersIssuedBeforeTheMunicipalityHadItsOwn() {
        // What an older Kofu made: one key for every code of every municipality.
        byte[] old = new byte[32];
        Arrays.fill(old, (byte) 7);
        node.context().getBean(Database.class).inTransaction(c -> {
            try (var s = c.prepareStatement("INSERT INTO node_secret (name, value) VALUES (?, ?)")) {
                s.setString(1, "verify-key");
                s.setBytes(2, old);
                return s.executeUpdate();
            }
        });
        try (TestNode upgraded = node.sibling(Map.of("kofu.municipalities-file", file.toString()), null)) {
            VerificationCodes codes = upgraded.context().getBean(VerificationCodes.class);
            LocalDate today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
            String printedBefore = A + "-" + today.minusDays(30).format(DateTimeFormatter.BASIC_ISO_DATE) + "-000042";
            String printedToday = A + "-" + today.format(DateTimeFormatter.BASIC_ISO_DATE) + "-000043";
            String printedLater = A + "-" + today.plusDays(3).format(DateTimeFormatter.BASIC_ISO_DATE) + "-000044";
            assertTrue(codes.matches(printedBefore, hmac(old, printedBefore)), "a paper printed before still verifies");
            assertTrue(codes.matches(printedToday, hmac(old, printedToday)), "and one of the upgrade's day");
            assertFalse(codes.matches(printedLater, hmac(old, printedLater)), "the old key vouches for no later number");
            assertFalse(codes.matches(printedLater, hmac(old, printedBefore)));
            assertTrue(codes.matches(printedLater, codes.code(printedLater)), "the municipality's key still does");
            assertEquals(hmac(key("verify-key:" + A), printedBefore), codes.code(printedBefore),
                    "new codes are made with the municipality's key only");
        } finally {
            node.context().getBean(Database.class).inTransaction(c -> {
                try (var s = c.prepareStatement("DELETE FROM node_secret WHERE name = ?")) {
                    s.setString(1, "verify-key");
                    return s.executeUpdate();
                }
            });
        }
    }

    private static byte[] key(String name) {
        byte[] key = node.context().getBean(Database.class).withConnection(c -> {
            try (var s = c.prepareStatement("SELECT value FROM node_secret WHERE name = ?")) {
                s.setString(1, name);
                try (var rs = s.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        assertNotNull(key, "a key " + name + " in node_secret");
        return key;
    }

    private static String hmac(byte[] key, String number) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(number.getBytes(StandardCharsets.US_ASCII)), 0, 10);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
