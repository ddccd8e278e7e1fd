package jp.kofu.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import jp.kofu.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;

final class CardIdTest {

    @Test
    void equalsAcrossSpellingsOfTheSameName() {
        CardId a = CardId.parse("CN=A,O=B", "0A");
        CardId b = CardId.parse("cn=a, o=B", "a");

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.issuerKey(), b.issuerKey());
        assertEquals("a", b.serialHex());
    }

    @Test
    void differsForOtherNamesOrOtherRdnOrder() {
        CardId id = CardId.parse("CN=A,O=B", "1");

        assertNotEquals(id, CardId.parse("CN=A,O=C", "1"));
        assertNotEquals(id, CardId.parse("O=B,CN=A", "1"));
        assertNotEquals(id, CardId.parse("CN=A,O=B", "2"));
    }

    @Test
    void matchesTheCertificateNamedInTheFeed() {
        CertificateAuthority ca = CertificateAuthority.createRoot(TestJpki.ROOT_DN, TestJpki.years(-1, 10));
        X509Certificate card = ca.issueCardAuthentication(TestJpki.years(-1, 5)).certificate();
        String feedIssuer = card.getIssuerX500Principal().getName(X500Principal.RFC2253);
        String feedSerial = "00" + card.getSerialNumber().toString(16).toUpperCase();

        assertEquals(CardId.of(card), CardId.parse(feedIssuer, feedSerial));
        assertEquals(card.getSerialNumber().toString(16), CardId.of(card).serialHex());
        assertEquals(new BigInteger(CardId.of(card).serialHex(), 16), card.getSerialNumber());
    }

    @Test
    void refusesBadInputWithoutRepeatingIt() {
        List<String[]> bad = List.of(
                new String[] {"not a <secret> dn", "1a"},
                new String[] {"", "1a"},
                new String[] {"CN=A", "0x1a"},
                new String[] {"CN=A", "-1a"},
                new String[] {"CN=A", "<secret>"},
                new String[] {"CN=A", ""});
        for (String[] input : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CardId.parse(input[0], input[1]));
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
            if (!input[0].isEmpty()) {
                assertFalse(e.getMessage().contains(input[0]), e.getMessage());
            }
        }
    }
}
