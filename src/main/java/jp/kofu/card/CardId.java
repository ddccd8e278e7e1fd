package jp.kofu.card;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * What identifies a card certificate: its issuer and serial number, compared as values (contract §6): the issuer
 * as an X.500 name in the JDK's canonical form (so {@code CN=A,O=B} equals {@code cn=a, o=B}), the serial as an
 * integer (so {@code 0A} equals {@code a}).
 *
 * @param issuer the issuer DN, canonical ({@link X500Principal#CANONICAL})
 * @param serial the serial number
 */
public record CardId(String issuer, BigInteger serial) {
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{1,128}");

    public CardId {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serial, "serial");
        issuer = canonical(issuer);
        if (serial.signum() < 0) {
            throw new IllegalArgumentException("a certificate serial number is not negative");
        }
    }

    /** The id of a card certificate. */
    public static CardId of(X509Certificate certificate) {
        return new CardId(certificate.getIssuerX500Principal().getName(X500Principal.CANONICAL),
                certificate.getSerialNumber());
    }

    /**
     * The id named by a sync-feed event: an RFC 4514 issuer DN and a hexadecimal serial. Throws
     * {@link IllegalArgumentException} for a bad DN or serial; its message never repeats the input.
     */
    public static CardId parse(String rfc4514Issuer, String hexSerial) {
        if (hexSerial == null || !HEX.matcher(hexSerial).matches()) {
            throw new IllegalArgumentException("the serial number is not a hexadecimal number");
        }
        return new CardId(rfc4514Issuer, new BigInteger(hexSerial, 16));
    }

    /** The issuer, for a database column: the canonical DN (equal names give equal keys). */
    public String issuerKey() {
        return issuer;
    }

    /** The serial, for a database column: lower-case hexadecimal without leading zeros. */
    public String serialHex() {
        return serial.toString(16);
    }

    private static String canonical(String dn) {
        if (dn.isBlank()) {
            throw new IllegalArgumentException("the issuer DN is empty");
        }
        try {
            return new X500Principal(dn).getName(X500Principal.CANONICAL);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the issuer is not an RFC 4514 distinguished name");
        }
    }
}
