package jp.kofu.verify;

import jp.kofu.contract.Tokyo;
import jakarta.inject.Singleton;
import jp.kofu.config.KofuSettings;
import jp.kofu.db.Database;
import jp.kofu.db.NodeSecrets;
import jp.kofu.municipality.Municipality;
import jp.kofu.municipality.MunicipalityRegistry;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The verification address printed on a certificate: {@code <base>/verify/<発行番号>?d=<code>}. The code is an HMAC
 * of the number with its municipality's own key (the first 6 digits of the number name the municipality), shared
 * by every node, so only someone holding the certificate can ask about it, and nobody can walk through issuance
 * numbers.
 *
 * <p>Before there was a key per municipality, one deployment-wide key ({@code verify-key}) made every code. Papers
 * printed then still verify: that key is tried too, but only for numbers dated no later than the day after the
 * municipality's own key was made (a day of grace for a rolling upgrade that crosses midnight). A deployment that
 * never had the old key never accepts it, and nothing creates it any more.
 */
@Singleton
public final class VerificationCodes {
    static final String LEGACY_KEY = "verify-key";
    private static final ZoneId JAPAN = Tokyo.ZONE;

    /** A municipality's key, and the last issuance date for which the old deployment-wide key still counts. */
    private record MunicipalityKey(SecretKeySpec key, LocalDate legacyUntil) {}

    private final Map<String, MunicipalityKey> keys = new java.util.concurrent.ConcurrentHashMap<>();
    private final Optional<SecretKeySpec> legacy;
    private final String baseUrl;

    VerificationCodes(NodeSecrets secrets, Database db, MunicipalityRegistry municipalities, KofuSettings settings) {
        for (Municipality m : municipalities.all()) {
            keys.put(m.code(), keyOf(secrets, db, m.code()));
        }
        // A municipality added by a reload gets its key (made once, shared by every node) before it is served.
        municipalities.onReload((previous, next) -> {
            Map<String, MunicipalityKey> added = new HashMap<>();
            for (String code : next.keySet()) {
                if (!keys.containsKey(code)) {
                    added.put(code, keyOf(secrets, db, code));
                }
            }
            return () -> keys.putAll(added);
        });
        legacy = db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM node_secret WHERE name = ?")) {
                s.setString(1, LEGACY_KEY);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(hmacKey(rs.getBytes(1))) : Optional.empty();
                }
            }
        });
        this.baseUrl = settings.verifyBaseUrl();
    }

    private static MunicipalityKey keyOf(NodeSecrets secrets, Database db, String code) {
        String name = keyName(code);
        SecretKeySpec key = hmacKey(secrets.key(name));
        Instant made = db.withConnection(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT FLOOR(UNIX_TIMESTAMP(created_at)) FROM node_secret WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return Instant.ofEpochSecond(rs.getLong(1));
                }
            }
        });
        return new MunicipalityKey(key, made.atZone(JAPAN).toLocalDate().plusDays(1));
    }

    /** The name of a municipality's key in {@code node_secret}. */
    static String keyName(String municipalityCode) {
        return LEGACY_KEY + ":" + municipalityCode;
    }

    public String url(String issuanceNumber) {
        return baseUrl + "/verify/" + issuanceNumber + "?d=" + code(issuanceNumber);
    }

    /** The code of a number of a municipality served here. */
    String code(String issuanceNumber) {
        MunicipalityKey key = keys.get(municipality(issuanceNumber));
        if (key == null) {
            throw new IllegalStateException("no verification key: municipality not served here");
        }
        return hmac(key.key(), issuanceNumber);
    }

    /** Whether {@code code} is the code of the number; false for a municipality not served here. */
    boolean matches(String issuanceNumber, String code) {
        MunicipalityKey key = code == null ? null : keys.get(municipality(issuanceNumber));
        if (key == null) {
            return false;
        }
        if (same(hmac(key.key(), issuanceNumber), code)) {
            return true;
        }
        return legacy.isPresent() && issuedOn(issuanceNumber).filter(d -> !d.isAfter(key.legacyUntil())).isPresent()
                && same(hmac(legacy.get(), issuanceNumber), code);
    }

    private static String municipality(String issuanceNumber) {
        return issuanceNumber.length() >= 6 ? issuanceNumber.substring(0, 6) : "";
    }

    /** The date in a number {@code 112038-20261122-000042}; empty if it is not a date. */
    private static Optional<LocalDate> issuedOn(String issuanceNumber) {
        try {
            return Optional.of(LocalDate.parse(issuanceNumber.substring(7, 15), DateTimeFormatter.BASIC_ISO_DATE));
        } catch (DateTimeParseException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static boolean same(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    private static SecretKeySpec hmacKey(byte[] bytes) {
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    private static String hmac(SecretKeySpec key, String issuanceNumber) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(issuanceNumber.getBytes(StandardCharsets.US_ASCII)), 0, 10);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
